import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { findUser } from "./find-user";
import { hashPassword, needsRehash, verifyPassword } from "./password";
import type { SessionUser } from "./types";

let dummyHash: Promise<string> | undefined;

/**
 * The user whose password matches, or null. Unknown and disabled users cost the same scrypt run
 * as real ones, so response time does not reveal which usernames exist.
 */
export async function authenticate(db: Db, username: string, password: string): Promise<SessionUser | null> {
  const user = findUser(db, username);
  if (!user || password.length > 256) {
    dummyHash ??= hashPassword("greenlight-no-such-user");
    await verifyPassword(password.slice(0, 256), await dummyHash);
    return null;
  }
  const ok = await verifyPassword(password, user.passwordHash);
  if (!ok || user.disabledAt !== null) return null;
  // Hashes made with weaker parameters than today's are upgraded at the next correct sign-in.
  if (needsRehash(user.passwordHash)) {
    db.update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, user.id))
      .run();
  }
  return { id: user.id, username: user.username, role: user.role };
}
