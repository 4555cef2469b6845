import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { getUser } from "./find-user";
import { revokeUserSessions } from "./sessions";

/** Disables a user (kept for the audit trail) and ends their sessions; `enable` undoes it. */
export function setUserDisabled(db: Db, username: string, disabled: boolean, now = Date.now()): void {
  const user = getUser(db, username);
  db.transaction(() => {
    db.update(users)
      .set({ disabledAt: disabled ? (user.disabledAt ?? now) : null })
      .where(eq(users.id, user.id))
      .run();
    if (disabled) revokeUserSessions(db, user.id);
  });
}
