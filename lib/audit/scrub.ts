import { redact } from "@/lib/config/secrets";

const SENSITIVE_KEY = /secret|token|password|key|webhook|authorization|cookie/i;
const REDACTED_VALUE = "[redacted]";

/** Redacts known secret values from text (values shorter than 4 characters are too common to redact). */
export function scrubText(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return redact(text, values);
}

/**
 * A copy of a JSON-like value with known secret values cut out of every string, key and number, one by one: never
 * through its JSON text, where a secret holding `"` or `\` is escaped out of reach and a digits-only one breaks
 * the JSON. A number that contains a secret becomes the redaction text.
 */
export function scrubSecretValues(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrubText(value, secrets);
  if (typeof value === "number" || typeof value === "bigint") {
    const text = String(value);
    return scrubText(text, secrets) === text ? value : scrubText(text, secrets);
  }
  if (value === null || typeof value !== "object") return value;
  if (depth > 20) return REDACTED_VALUE;
  if (Array.isArray(value)) return value.map((v) => scrubSecretValues(v, secrets, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[scrubText(k, secrets)] = scrubSecretValues(v, secrets, depth + 1);
  return out;
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
