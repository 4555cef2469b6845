import { asc } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import type { Role } from "./roles";

export interface UserSummary {
  id: number;
  username: string;
  role: Role;
  createdAt: number;
  disabledAt: number | null;
}

/** All users without their password hashes. */
export function listUsers(db: Db): UserSummary[] {
  return db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: users.createdAt,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .orderBy(asc(users.username))
    .all();
}
