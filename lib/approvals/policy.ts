import { z } from "zod";
import type { Role } from "@/lib/auth/roles";

export const REQUEST_EXPIRY_MS = 15 * 60 * 1000;
export const REQUESTER_ROLES: readonly Role[] = ["oncall", "release_manager", "admin"];
export const APPROVER_ROLES: readonly Role[] = ["release_manager", "admin"];

export const rollbackReason = z
  .string()
  .trim()
  .min(10, "say why in at least 10 characters")
  .max(500, "keep the reason under 500 characters");

/** Where an attempt came from, for the audit trail. */
export type AttemptOrigin = { sourceIp?: string | null; userAgent?: string | null };
