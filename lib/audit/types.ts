import type { AuditLogRow } from "@/lib/db/schema";

export type AuditOutcome = "ok" | "denied" | "failed";

/** What a caller records; `details` is scrubbed before it is stored. */
export type AuditEntry = {
  actor: string;
  action: string;
  role?: string | null;
  target?: string | null;
  sourceIp?: string | null;
  userAgent?: string | null;
  outcome?: AuditOutcome;
  reason?: string | null;
  details?: Record<string, unknown>;
  at?: number;
};

export type AuditRow = AuditLogRow;

export const GENESIS_HASH = "0".repeat(64);
