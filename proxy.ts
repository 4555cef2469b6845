import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIE = "greenlight_session";
export const PATH_HEADER = "x-greenlight-path";

/*
 * Convenience only, never a guard: a page view without any session cookie goes to /login with
 * `next` set, and pages learn their own path (for the same redirect when a cookie is stale).
 * Every page, action and route handler checks the session itself (lib/auth/guard.ts).
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (request.method === "GET" && !request.cookies.has(SESSION_COOKIE)) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" && !search ? "" : `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|login|favicon\\.ico|.*\\.[a-zA-Z0-9]+$).*)"],
};
