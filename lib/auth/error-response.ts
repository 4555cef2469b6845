import { AppError, publicMessage } from "@/lib/errors";

/** A JSON error response with the error's own status (401, 403, 429...) and a message safe to show. */
export function errorResponse(error: unknown): Response {
  const status = error instanceof AppError ? error.status : 500;
  if (!(error instanceof AppError)) console.error("Unexpected error in a route handler", error);
  const headers: Record<string, string> = { "cache-control": "no-store" };
  const retry = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retry === "number") headers["retry-after"] = String(retry);
  const code = error instanceof AppError ? error.code : "internal";
  return Response.json({ error: publicMessage(error), code }, { status, headers });
}
