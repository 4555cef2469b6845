import { and, asc, eq, gt, lt, max } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { loginAttempts } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

export class TooManyAttemptsError extends AppError {
  override readonly status = 429;
  override readonly code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts. Try again in ${describeWait(retryAfterSeconds)}.`);
  }
}

export const LOGIN_LIMITS = {
  windowMs: 5 * 60 * 1000,
  perUsername: 5,
  // Higher than per-username: several people may share one address behind a proxy.
  perIp: 20,
} as const;
const KEEP_MS = 24 * 60 * 60 * 1000;

export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** When the oldest failure that keeps the count at the limit leaves the window; null when below it. */
function blockedUntil(failures: number[], limit: number, windowMs: number): number | null {
  if (failures.length < limit) return null;
  const pivot = failures[failures.length - limit];
  return pivot === undefined ? null : pivot + windowMs;
}

function failuresSince(db: Db, column: typeof loginAttempts.username | typeof loginAttempts.ip, key: string, since: number) {
  return db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(and(eq(column, key), eq(loginAttempts.ok, false), gt(loginAttempts.at, since)))
    .orderBy(asc(loginAttempts.at))
    .all()
    .map((r) => r.at);
}

/** Throws TooManyAttemptsError when the username or the address has too many recent failures. */
export function assertLoginAllowed(db: Db, username: string, ip: string | null, now = Date.now()): void {
  const { windowMs, perUsername, perIp } = LOGIN_LIMITS;
  const windowStart = now - windowMs;
  const lastOk = db
    .select({ at: max(loginAttempts.at) })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.username, username), eq(loginAttempts.ok, true)))
    .get()?.at;
  // A successful sign-in clears the username's slate, not the address's.
  const userUntil = blockedUntil(failuresSince(db, loginAttempts.username, username, Math.max(windowStart, lastOk ?? 0)), perUsername, windowMs);
  const ipUntil = ip ? blockedUntil(failuresSince(db, loginAttempts.ip, ip, windowStart), perIp, windowMs) : null;
  const until = Math.max(userUntil ?? 0, ipUntil ?? 0);
  if (until > now) throw new TooManyAttemptsError(Math.max(1, Math.ceil((until - now) / 1000)));
}

/** Records an attempt as failed before the password is checked, so parallel guesses all count. */
export function recordAttempt(db: Db, username: string, ip: string | null, now = Date.now()): number {
  db.delete(loginAttempts).where(lt(loginAttempts.at, now - KEEP_MS)).run();
  return db.insert(loginAttempts).values({ username, ip, at: now, ok: false }).returning({ id: loginAttempts.id }).get().id;
}

export function markAttemptOk(db: Db, attemptId: number): void {
  db.update(loginAttempts).set({ ok: true }).where(eq(loginAttempts.id, attemptId)).run();
}
