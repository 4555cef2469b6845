import { createHash } from "node:crypto";
import type { AuditRow } from "./types";

/** JSON with object keys sorted at every level, so the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The hash of a row: every stored field but the hash itself, `details` as the stored text, chained by `prevHash`. */
export function hashAuditRow(row: Omit<AuditRow, "hash">): string {
  const fields = {
    id: row.id,
    at: row.at,
    actor: row.actor,
    role: row.role,
    action: row.action,
    target: row.target,
    sourceIp: row.sourceIp,
    userAgent: row.userAgent,
    outcome: row.outcome,
    reason: row.reason,
    details: row.details,
    prevHash: row.prevHash,
  };
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}
