import { and, asc, eq, gt, isNull, lt, max } from "drizzle-orm";
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

/*
 * No hard lock on a username: anyone could lock out every release manager during an incident. Failures are counted
 * per username *and* client address: after `freeFailures` the next attempt from that address waits `baseDelayMs`,
 * doubling with each further failure up to `maxDelayMs`. The same user from another address signs in at once.
 */
export const LOGIN_LIMITS = {
  windowMs: 15 * 60 * 1000,
  freeFailures: 5,
  baseDelayMs: 30 * 1000,
  maxDelayMs: 15 * 60 * 1000,
  // Per address across usernames (password spraying); higher: several people may share one address behind a proxy.
  ipWindowMs: 5 * 60 * 1000,
  perIp: 20,
} as const;
const KEEP_MS = 24 * 60 * 60 * 1000;

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

const ipIs = (ip: string | null) => (ip === null ? isNull(loginAttempts.ip) : eq(loginAttempts.ip, ip));

function failureTimes(db: Db, where: ReturnType<typeof and>) {
  return db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(and(where, eq(loginAttempts.ok, false)))
    .orderBy(asc(loginAttempts.at))
    .all()
    .map((r) => r.at);
}

/** When the username may be tried again from this address: the last failure plus a delay doubling past the free ones. */
function pairBlockedUntil(db: Db, username: string, ip: string | null, now: number): number | null {
  const { windowMs, freeFailures, baseDelayMs, maxDelayMs } = LOGIN_LIMITS;
  const lastOk = db
    .select({ at: max(loginAttempts.at) })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.username, username), ipIs(ip), eq(loginAttempts.ok, true)))
    .get()?.at;
  // A successful sign-in from this address clears its slate.
  const since = Math.max(now - windowMs, lastOk ?? 0);
  const failures = failureTimes(db, and(eq(loginAttempts.username, username), ipIs(ip), gt(loginAttempts.at, since)));
  if (failures.length < freeFailures) return null;
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures.length - freeFailures));
  return failures[failures.length - 1]! + delay;
}

function ipBlockedUntil(db: Db, ip: string | null, now: number): number | null {
  if (ip === null) return null;
  const { ipWindowMs, perIp } = LOGIN_LIMITS;
  const failures = failureTimes(db, and(eq(loginAttempts.ip, ip), gt(loginAttempts.at, now - ipWindowMs)));
  if (failures.length < perIp) return null;
  return failures[failures.length - perIp]! + ipWindowMs;
}

/** Throws TooManyAttemptsError while this username must wait at this address, or the address has sprayed too much. */
export function assertLoginAllowed(db: Db, username: string, ip: string | null, now = Date.now()): void {
  const until = Math.max(pairBlockedUntil(db, username, ip, now) ?? 0, ipBlockedUntil(db, ip, now) ?? 0);
  if (until > now) throw new TooManyAttemptsError(Math.max(1, Math.ceil((until - now) / 1000)));
}

/** Records an attempt as failed before the password is checked, so parallel guesses all count. */
export function recordAttempt(db: Db, username: string, ip: string | null, now = Date.now()): number {
  db.delete(loginAttempts)
    .where(lt(loginAttempts.at, now - KEEP_MS))
    .run();
  return db.insert(loginAttempts).values({ username, ip, at: now, ok: false }).returning({ id: loginAttempts.id }).get()
    .id;
}

export function markAttemptOk(db: Db, attemptId: number): void {
  db.update(loginAttempts).set({ ok: true }).where(eq(loginAttempts.id, attemptId)).run();
}
