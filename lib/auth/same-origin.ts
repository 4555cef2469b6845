import { ForbiddenError } from "@/lib/errors";
import { bearerToken } from "./bearer";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Extra origins allowed to post, from GREENLIGHT_ALLOWED_ORIGINS (comma-separated, e.g. `https://deploy.example.com`). */
function allowedOrigins(env: Record<string, string | undefined> = process.env): string[] {
  return (env.GREENLIGHT_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim().replace(/\/$/, ""))
    .filter(Boolean);
}

function requestHost(headers: Headers): string | null {
  return headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
}

/**
 * Why a state-changing request looks cross-origin, or null when it is fine. Browsers always send
 * Origin or Sec-Fetch-Site on POST; a request with neither comes from a non-browser client, which
 * carries no ambient cookies from another site. Bearer-token requests carry no ambient credentials.
 */
export function crossOriginReason(req: Request, extra: string[] = allowedOrigins()): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  if (bearerToken(req.headers) !== null) return null;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    if (extra.includes(origin)) return null;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return `Origin "${origin.slice(0, 100)}" is not a valid origin`;
    }
    return host === requestHost(req.headers) ? null : `Origin ${origin.slice(0, 100)} does not match this server`;
  }
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return `Sec-Fetch-Site is ${site.slice(0, 20)}`;
  return null;
}

/** Throws ForbiddenError for cross-origin state-changing requests; call it first in POST/PUT/PATCH/DELETE handlers. */
export function assertSameOrigin(req: Request, extra?: string[]): void {
  const reason = crossOriginReason(req, extra);
  if (reason) throw new ForbiddenError(`Cross-origin request refused: ${reason}`);
}
