import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/auth/content-security-policy";

const SESSION_COOKIE = "greenlight_session";
const PATH_HEADER = "x-greenlight-path";

const isLogin = (pathname: string) => pathname === "/login" || pathname.startsWith("/login/");
// Probes of load balancers and supervisors carry no session (the matcher skips /api/ too; this keeps it so).
const HEALTH_PROBES = new Set(["/api/healthz", "/api/readyz"]);

/*
 * Convenience only, never a guard: a page view without any session cookie goes to /login with
 * `next` set, and pages learn their own path (for the same redirect when a cookie is stale).
 * Every page, action and route handler checks the session itself (lib/auth/guard.ts).
 * Each page gets a fresh script nonce: Next reads it from the request's CSP and puts it on its scripts.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (HEALTH_PROBES.has(pathname)) return NextResponse.next();
  if (request.method === "GET" && !isLogin(pathname) && !request.cookies.has(SESSION_COOKIE)) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" && !search ? "" : `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, pathname + search);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon\\.ico|.*\\.[a-zA-Z0-9]+$).*)"],
};
