import { SESSION_MAX_MS } from "./sessions";

export const SESSION_COOKIE = "greenlight_session";

interface SessionCookieOptions {
  httpOnly: true;
  sameSite: "lax";
  path: "/";
  secure: boolean;
  maxAge: number;
}

/** Secure cookies when the request came over HTTPS (as the proxy reports it) or when forced by env. */
export function wantsSecureCookie(headers: Headers, env: Record<string, string | undefined> = process.env): boolean {
  if (env.GREENLIGHT_SECURE_COOKIES === "1") return true;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}

export function sessionCookieOptions(secure: boolean): SessionCookieOptions {
  // The browser may keep the cookie for the session's hard limit; the server enforces the idle limit.
  return { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: Math.floor(SESSION_MAX_MS / 1000) };
}

/** The session token from a raw Cookie header. */
export function tokenFromCookieHeader(header: string | null | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim()) || null;
  }
  return null;
}
