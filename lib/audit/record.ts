import { ValidationError } from "@/lib/errors";
import { hashAuditRow, canonicalJson } from "./hash";
import type { AuditDb } from "./rows";
import { scrubDetails, scrubText } from "./scrub";
import { GENESIS_HASH, type AuditEntry, type AuditRow } from "./types";

const clip = (text: string | null | undefined, max: number) => (text == null ? null : text.slice(0, max));

/**
 * Appends one row to the audit trail, chained to the last one. Synchronous and in a transaction (a savepoint when
 * the caller already holds one), so an audited change and its record commit or roll back together.
 */
export function recordAudit(db: AuditDb, entry: AuditEntry, secrets: readonly string[] = []): AuditRow {
  if (!entry.actor.trim() || !entry.action.trim())
    throw new ValidationError("An audit entry needs an actor and an action.");
  const text = (value: string | null | undefined, max: number) => {
    const clipped = clip(value, max);
    return clipped == null ? null : scrubText(clipped, secrets);
  };
  const sqlite = db.$client;
  const append = sqlite.transaction((): AuditRow => {
    const last = sqlite.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").get() as
      { id: number; hash: string } | undefined;
    const row: Omit<AuditRow, "hash"> = {
      id: (last?.id ?? 0) + 1,
      at: entry.at ?? Date.now(),
      actor: text(entry.actor, 200)!,
      role: text(entry.role, 50),
      action: text(entry.action, 200)!,
      target: text(entry.target, 500),
      sourceIp: text(entry.sourceIp, 64),
      userAgent: text(entry.userAgent, 512),
      outcome: entry.outcome ?? "ok",
      reason: text(entry.reason, 2000),
      details: canonicalJson(scrubDetails(entry.details ?? {}, secrets)),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const full: AuditRow = { ...row, hash: hashAuditRow(row) };
    sqlite
      .prepare(
        `INSERT INTO audit_log (id, at, actor, role, action, target, source_ip, user_agent, outcome, reason, details, prev_hash, hash)
         VALUES (@id, @at, @actor, @role, @action, @target, @sourceIp, @userAgent, @outcome, @reason, @details, @prevHash, @hash)`,
      )
      .run(full);
    return full;
  });
  return append.immediate();
}
