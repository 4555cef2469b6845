import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, lte, or } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { sessions, users } from "@/lib/db/schema";
import type { SessionUser } from "./types";

/** A session ends after 12 h without use, and in any case 7 days after sign-in. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
// Sliding the expiry on every request would write on every page view; once a minute is enough.
const TOUCH_EVERY_MS = 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
}

/** Only the SHA-256 of a token is stored, so a copy of the database cannot be used to sign in. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function createSession(db: Db, userId: number, meta: SessionMeta = {}, now = Date.now()) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + SESSION_IDLE_MS;
  db.insert(sessions)
    .values({
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      expiresAt,
      lastSeenAt: now,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip?.slice(0, 64) ?? null,
    })
    .run();
  return { token, expiresAt };
}

/** The user a session token belongs to, sliding its expiry; null for unknown, expired or disabled. */
export function userFromToken(db: Db, token: string | null | undefined, now = Date.now()): SessionUser | null {
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const tokenHash = hashToken(token);
  const row = db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, and(eq(users.id, sessions.userId), isNull(users.disabledAt)))
    .where(eq(sessions.tokenHash, tokenHash))
    .get();
  if (!row) return null;
  const hardEnd = row.createdAt + SESSION_MAX_MS;
  if (row.expiresAt <= now || hardEnd <= now) {
    db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
    return null;
  }
  if (now - row.lastSeenAt >= TOUCH_EVERY_MS) {
    db.update(sessions)
      .set({ lastSeenAt: now, expiresAt: Math.min(now + SESSION_IDLE_MS, hardEnd) })
      .where(eq(sessions.tokenHash, tokenHash))
      .run();
  }
  return { id: row.id, username: row.username, role: row.role };
}

export function deleteSession(db: Db, token: string | null | undefined): void {
  if (!token) return;
  db.delete(sessions)
    .where(eq(sessions.tokenHash, hashToken(token)))
    .run();
}

/** Ends every session of a user; returns how many there were. */
export function revokeUserSessions(db: Db, userId: number): number {
  return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
}

export function purgeExpiredSessions(db: Db, now = Date.now()): number {
  return db
    .delete(sessions)
    .where(or(lte(sessions.expiresAt, now), lte(sessions.createdAt, now - SESSION_MAX_MS)))
    .run().changes;
}
