import { hashAuditRow } from "./hash";
import { AUDIT_COLUMNS, fromRaw, type AuditDb, type RawAuditRow } from "./rows";
import { GENESIS_HASH } from "./types";

export type AuditVerdict = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/**
 * Recomputes every hash in id order and checks each row points at the previous one, with no ids missing.
 * `rows` counts the rows checked before the verdict. Removing the newest rows leaves a valid shorter chain; the
 * triggers refuse that, and an exported copy of the last hash catches it.
 */
export function verifyAuditChain(db: AuditDb): AuditVerdict {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let rows = 0;
  const iter = db.$client.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`).iterate() as IterableIterator<RawAuditRow>;
  for (const raw of iter) {
    const row = fromRaw(raw);
    const broken = (reason: string): AuditVerdict => {
      iter.return?.();
      return { ok: false, rows, brokenAt: row.id, reason };
    };
    if (row.id !== expectedId) return broken(`rows ${expectedId}..${row.id - 1} are missing`);
    if (row.prevHash !== prevHash) return broken("its prev_hash does not match the previous row's hash");
    const { hash, ...rest } = row;
    if (hashAuditRow(rest) !== hash) return broken("its content does not match its hash");
    prevHash = hash;
    expectedId++;
    rows++;
  }
  return { ok: true, rows };
}
