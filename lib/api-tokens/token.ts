import { createHash, randomBytes } from "node:crypto";

const TOKEN_PREFIX = "glt_";
/** `glt_` + 32 random bytes in base64url (43 characters). */
export const API_TOKEN_PATTERN = /^glt_[A-Za-z0-9_-]{43}$/;

export function generateApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** Only this is stored: a copy of the database cannot be used to call the API. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** What lists show to tell tokens apart: the first 8 characters, i.e. `glt_` and 4 random ones. */
export function tokenPrefix(token: string): string {
  return token.slice(0, 8);
}
