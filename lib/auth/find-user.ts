import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { normalizeUsername } from "./credentials";

export type UserRow = typeof users.$inferSelect;

export function findUser(db: Db, username: string): UserRow | undefined {
  return db
    .select()
    .from(users)
    .where(eq(users.username, normalizeUsername(username)))
    .get();
}

export function getUser(db: Db, username: string): UserRow {
  const user = findUser(db, username);
  if (!user) throw new NotFoundError(`No user named "${normalizeUsername(username)}"`);
  return user;
}
