import { z } from "zod";
import { ValidationError } from "@/lib/errors";
import { ROLES, type Role } from "./roles";

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, "Usernames are 2-32 characters: letters, digits, dot, dash, underscore");

// The upper bound keeps a huge body from turning into a long scrypt run.
export const passwordSchema = z
  .string()
  .min(8, "Passwords need at least 8 characters")
  .max(256, "Passwords can have at most 256 characters");

export const roleSchema = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(", ")}` });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(result.error.issues[0]?.message ?? "Invalid value");
  return result.data;
}

export const parseUsername = (value: unknown): string => parse(usernameSchema, value);
export const parsePassword = (value: unknown): string => parse(passwordSchema, value);
export const parseRole = (value: unknown): Role => parse(roleSchema, value);

/** Lower-cased and trimmed, without validation: for look-ups and rate-limit keys. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase().slice(0, 64);
}
