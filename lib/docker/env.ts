import { ValidationError } from "@/lib/errors";

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOADER = /^(LD_|DYLD_)/;

/** Checks container environment entries; errors name the key, never the value (it may be a secret). */
export function validateEnv(entries: Record<string, string>): void {
  for (const [key, value] of Object.entries(entries)) {
    const shownKey = /^[\x21-\x7e]{1,100}$/.test(key) ? `"${key}"` : "(unprintable or too long)";
    if (!KEY.test(key)) {
      throw new ValidationError(
        `Environment variable name ${shownKey} is invalid: use letters, digits and underscores, not starting with a digit`,
      );
    }
    if (LOADER.test(key)) {
      throw new ValidationError(
        `Environment variable ${shownKey} is not allowed: loader variables (LD_*, DYLD_*) are refused`,
      );
    }
    if (typeof value !== "string") throw new ValidationError(`Environment variable ${shownKey} must have a text value`);
    if (/[\r\n\0]/.test(value)) {
      throw new ValidationError(`Environment variable ${shownKey} has a value containing a newline or NUL character`);
    }
  }
}

/** Validated entries as Docker's `KEY=value` strings, in insertion order. */
export function toDockerEnv(entries: Record<string, string>): string[] {
  validateEnv(entries);
  return Object.entries(entries).map(([k, v]) => `${k}=${v}`);
}
