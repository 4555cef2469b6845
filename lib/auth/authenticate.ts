import type { Db } from "@/lib/db/client";
import { findUser } from "./find-user";
import { hashPassword, verifyPassword } from "./password";
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
  return { id: user.id, username: user.username, role: user.role };
}
