import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { ConflictError } from "@/lib/errors";
import { parsePassword, parseRole, parseUsername } from "./credentials";
import { hashPassword } from "./password";
import type { SessionUser } from "./types";

interface CreateUserInput {
  username: string;
  password: string;
  role: string;
}

/** Creates a user; a taken username is a ConflictError, bad input a ValidationError. */
export async function createUser(db: Db, input: CreateUserInput, now = Date.now()): Promise<SessionUser> {
  const username = parseUsername(input.username);
  const role = parseRole(input.role);
  const password = parsePassword(input.password);
  const taken = () => db.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  if (taken()) throw new ConflictError(`User "${username}" already exists`);
  const passwordHash = await hashPassword(password);
  // Re-check after the slow hash: another process may have created the same user meanwhile.
  return db.transaction(() => {
    if (taken()) throw new ConflictError(`User "${username}" already exists`);
    const row = db
      .insert(users)
      .values({ username, passwordHash, role, createdAt: now })
      .returning({ id: users.id, username: users.username, role: users.role })
      .get();
    return row;
  });
}
