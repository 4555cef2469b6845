import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { getUser } from "./find-user";
import { refuseSelf, type ChangedBy } from "./refuse-self";
import { revokeUserSessions } from "./sessions";

/**
 * Disables a user (kept for the audit trail) and ends their sessions; `disabled: false` undoes it. An admin cannot
 * disable themselves (`by` is who asks, null for the operator at the shell).
 */
export function setUserDisabled(db: Db, username: string, disabled: boolean, by: ChangedBy, now = Date.now()): void {
  if (disabled) refuseSelf(by, username, "disable");
  const user = getUser(db, username);
  db.transaction(() => {
    db.update(users)
      .set({ disabledAt: disabled ? (user.disabledAt ?? now) : null })
      .where(eq(users.id, user.id))
      .run();
    if (disabled) revokeUserSessions(db, user.id);
  });
}
