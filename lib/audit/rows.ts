import type { AuditRow } from "./types";

export type AuditDb = { $client: import("better-sqlite3").Database };

export type RawAuditRow = {
  id: number;
  at: number;
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  source_ip: string | null;
  user_agent: string | null;
  outcome: AuditRow["outcome"];
  reason: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};

export const AUDIT_COLUMNS =
  "id, at, actor, role, action, target, source_ip, user_agent, outcome, reason, details, prev_hash, hash";

export function fromRaw(r: RawAuditRow): AuditRow {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    role: r.role,
    action: r.action,
    target: r.target,
    sourceIp: r.source_ip,
    userAgent: r.user_agent,
    outcome: r.outcome,
    reason: r.reason,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
