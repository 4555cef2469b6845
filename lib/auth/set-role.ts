import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { parseRole } from "./credentials";
import { getUser } from "./find-user";
import { refuseSelf, type ChangedBy } from "./refuse-self";
import type { Role } from "./roles";
import { revokeUserSessions } from "./sessions";

/**
 * Changes a user's role; their sessions are revoked so the new role applies from the next sign-in. An admin cannot
 * change their own role (`by` is who asks, null for the operator at the shell).
 */
export function setRole(db: Db, username: string, role: string, by: ChangedBy): { previous: Role; role: Role } {
  refuseSelf(by, username, "change the role of");
  const next = parseRole(role);
  const user = getUser(db, username);
  db.transaction(() => {
    db.update(users).set({ role: next }).where(eq(users.id, user.id)).run();
    revokeUserSessions(db, user.id);
  });
  return { previous: user.role, role: next };
}
