import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { ROLES } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import type { Db } from "@/lib/db/client";
import { apiTokens } from "@/lib/db/schema/api-tokens";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { toListedToken, type ListedApiToken } from "./list";
import { generateApiToken, hashApiToken, tokenPrefix } from "./token";

const DAY_MS = 24 * 60 * 60 * 1000;

export const createApiTokenInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "give the token a name")
    .max(80)
    .regex(/^[\w.@ -]+$/, "letters, digits, spaces, dots, dashes, @ or underscores"),
  role: z.enum(ROLES),
  services: z
    .array(z.string().regex(/^(\*|[a-z0-9][a-z0-9-]{0,62})$/, "a service name or *"))
    .min(1, "allow at least one service, or *")
    .max(100),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

/** Creates a token for CI; the plain token is returned once and never stored. Admins only. */
export function createApiToken(
  db: Db,
  raw: CreateApiTokenInput,
  admin: SessionUser,
  now = Date.now(),
): { token: string; record: ListedApiToken } {
  if (admin.role !== "admin") throw new ForbiddenError("Only an admin can create API tokens.");
  const parsed = createApiTokenInput.safeParse(raw);
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  const input = parsed.data;
  const services = input.services.includes("*") ? ["*"] : [...new Set(input.services)];
  const token = generateApiToken();
  const row = db.$client.transaction(() => {
    const inserted = db
      .insert(apiTokens)
      .values({
        name: input.name,
        tokenHash: hashApiToken(token),
        prefix: tokenPrefix(token),
        role: input.role,
        services,
        createdBy: admin.username,
        createdAt: now,
        expiresAt: now + input.expiresInDays * DAY_MS,
      })
      .returning()
      .get();
    recordAudit(db, {
      actor: admin.username,
      role: admin.role,
      action: "api_token.create",
      target: `api_token:${inserted.id}`,
      details: { name: input.name, role: input.role, services, prefix: inserted.prefix, expiresAt: inserted.expiresAt },
    });
    return inserted;
  })();
  return { token, record: toListedToken(row, now) };
}
