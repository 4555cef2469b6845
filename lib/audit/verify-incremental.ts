import { walkChain, type AuditVerdict } from "./verify";
import type { AuditDb } from "./rows";
import { GENESIS_HASH } from "./types";

type Checkpoint = { last_id: number; last_hash: string };

/**
 * The chain's verdict without re-reading all of it: rows up to the checkpoint (the last row verified before) are
 * taken as verified if that row still carries the hash it had, and only the rows after it are checked; a good
 * verdict moves the checkpoint. `rows` counts the whole chain, `checkedNow` the rows this call hashed. Edits to rows
 * before the checkpoint need the full check: `npx tsx scripts/audit-verify.ts`.
 */
export function verifyAuditChainSinceCheckpoint(db: AuditDb, now = Date.now()): AuditVerdict & { checkedNow: number } {
  const sqlite = db.$client;
  const cp = sqlite.prepare("SELECT last_id, last_hash FROM audit_checkpoint WHERE id = 1").get() as
    Checkpoint | undefined;
  if (cp) {
    const anchor = sqlite.prepare("SELECT hash FROM audit_log WHERE id = ?").get(cp.last_id) as
      { hash: string } | undefined;
    if (anchor?.hash !== cp.last_hash) {
      return {
        ok: false,
        rows: 0,
        brokenAt: cp.last_id,
        reason: "the last verified row is gone or changed since it was verified",
        checkedNow: 0,
      };
    }
  }
  const base = cp?.last_id ?? 0;
  const { verdict, lastId, lastHash } = walkChain(db, base, cp?.last_hash ?? GENESIS_HASH);
  if (verdict.ok && lastId > base) {
    sqlite
      .prepare(
        `INSERT INTO audit_checkpoint (id, last_id, last_hash, verified_at) VALUES (1, @lastId, @lastHash, @now)
         ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash, verified_at = excluded.verified_at`,
      )
      .run({ lastId, lastHash, now });
  }
  return { ...verdict, rows: base + verdict.rows, checkedNow: verdict.rows };
}
