import type { Db } from "@/lib/db/client";
import { UnauthorizedError } from "@/lib/errors";
import { authenticate } from "./authenticate";
import { normalizeUsername } from "./credentials";
import { assertLoginAllowed, markAttemptOk, recordAttempt } from "./rate-limit";
import { createSession, deleteSession } from "./sessions";
import type { SessionUser } from "./types";

export const WRONG_CREDENTIALS = "Wrong username or password";

interface LoginInput {
  username: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  /** The token of the cookie the browser already had; that session is ended. */
  previousToken?: string | null;
}

interface LoginResult {
  user: SessionUser;
  token: string;
  expiresAt: number;
}

/** Rate-limited sign-in; always issues a fresh session token. */
export async function login(db: Db, input: LoginInput, now = Date.now()): Promise<LoginResult> {
  const username = normalizeUsername(input.username);
  const ip = input.ip ?? null;
  if (!username || !input.password) throw new UnauthorizedError(WRONG_CREDENTIALS);
  assertLoginAllowed(db, username, ip, now);
  const attemptId = recordAttempt(db, username, ip, now);
  const user = await authenticate(db, username, input.password);
  if (!user) throw new UnauthorizedError(WRONG_CREDENTIALS);
  return db.transaction(() => {
    markAttemptOk(db, attemptId);
    deleteSession(db, input.previousToken);
    const { token, expiresAt } = createSession(db, user.id, { ip, userAgent: input.userAgent }, now);
    return { user, token, expiresAt };
  });
}
