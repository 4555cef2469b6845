import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { parsePassword } from "./credentials";
import { getUser } from "./find-user";
import { hashPassword } from "./password";
import { revokeUserSessions } from "./sessions";

/** Sets a new password and signs the user out everywhere. */
export async function setPassword(db: Db, username: string, password: string): Promise<void> {
  const user = getUser(db, username);
  const passwordHash = await hashPassword(parsePassword(password));
  db.transaction(() => {
    db.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run();
    revokeUserSessions(db, user.id);
  });
}
