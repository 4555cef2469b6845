import { logger } from "@/lib/log";
import { AppError, publicMessage } from "@/lib/errors";

const log = logger("http");

const NO_STORE = { "cache-control": "no-store" };

/** A JSON answer that no cache keeps. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * The one error body of every JSON route, /api/v1 and the console's own: `{ error: { code, message, ...extra } }`
 * with the error's own status (and `retry-after` when it has one). Unexpected errors say nothing more than
 * "internal" and are logged.
 */
export function apiError(error: unknown, extra: Record<string, unknown> = {}): Response {
  if (!(error instanceof AppError)) log.error({ err: error }, "unexpected error in a route handler");
  const status = error instanceof AppError ? error.status : 500;
  const code = error instanceof AppError ? error.code : "internal";
  const headers: Record<string, string> = {};
  const retry = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof retry === "number") headers["retry-after"] = String(retry);
  return json({ error: { code, message: publicMessage(error), ...extra } }, status, headers);
}
