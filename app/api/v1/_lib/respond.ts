import { z } from "zod";
import { ValidationError } from "@/lib/errors";

export { apiError, json } from "@/lib/http/respond";

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
