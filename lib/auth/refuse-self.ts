import { ConflictError } from "@/lib/errors";
import { normalizeUsername } from "./credentials";

/**
 * Who changes an account: the signed-in admin's username, or null for the operator at the server's shell
 * (scripts/users.ts), who may change any account, their own included, to recover a locked-out installation.
 */
export type ChangedBy = string | null;

/** An admin never changes their own role or disables themselves: another admin has to, so one is always left. */
export function refuseSelf(by: ChangedBy, username: string, what: string): void {
  if (by !== null && normalizeUsername(by) === normalizeUsername(username))
    throw new ConflictError(`You cannot ${what} yourself; ask another admin.`);
}
