import { z } from "zod";
import { AppError, publicMessage, ValidationError } from "@/lib/errors";

const NO_STORE = { "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** `{ error: { code, message, ...extra } }` with the error's own status; unexpected errors say nothing more. */
export function apiError(error: unknown, extra: Record<string, unknown> = {}): Response {
  if (!(error instanceof AppError)) console.error("[greenlight] unexpected error in an API route", error);
  const status = error instanceof AppError ? error.status : 500;
  const code = error instanceof AppError ? error.code : "internal";
  const headers: Record<string, string> = {};
  const retry = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof retry === "number") headers["retry-after"] = String(retry);
  return json({ error: { code, message: publicMessage(error), ...extra } }, status, headers);
}

/** Parses a JSON body with a schema; a missing, broken or wrong body is a 400 naming the field. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  let raw: unknown = {};
  const text = await req.text();
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ValidationError("The body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      issue ? `${issue.path.map(String).join(".") || "body"}: ${issue.message}` : "Invalid body",
    );
  }
  return parsed.data;
}

export const serviceParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "not a service name");
export const deploymentIdParam = z.string().regex(/^[a-z0-9-]{1,64}$/, "not a deployment id");

export function param<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`${what}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
