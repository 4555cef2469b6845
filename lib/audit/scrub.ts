import { redact } from "@/lib/config/secrets";

export const SENSITIVE_KEY = /secret|token|password|key|webhook|authorization|cookie/i;
export const REDACTED_VALUE = "[redacted]";

/** Redacts known secret values from text (values shorter than 4 characters are too common to redact). */
export function scrubText(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return redact(text, values);
}

/** A copy of `value` with sensitive keys replaced by "[redacted]" and known secret values removed from strings. */
export function scrubDetails(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === "string") return scrubText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (depth > 10) return REDACTED_VALUE;
  if (Array.isArray(value)) return value.map((v) => scrubDetails(v, secrets, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SENSITIVE_KEY.test(k) ? REDACTED_VALUE : scrubDetails(v, secrets, depth + 1);
  }
  return out;
}
