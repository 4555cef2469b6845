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
  return walkChain(db, 0, GENESIS_HASH).verdict;
}

/** Verifies the rows after `afterId`, the first of them chained to `prevHash`; also returns the last good row. */
export function walkChain(
  db: AuditDb,
  afterId: number,
  prevHash: string,
): { verdict: AuditVerdict; lastId: number; lastHash: string } {
  let expectedId = afterId + 1;
  let rows = 0;
  const iter = db.$client
    .prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id`)
    .iterate(afterId) as IterableIterator<RawAuditRow>;
  for (const raw of iter) {
    const row = fromRaw(raw);
    const broken = (reason: string) => {
      iter.return?.();
      return {
        verdict: { ok: false as const, rows, brokenAt: row.id, reason },
        lastId: expectedId - 1,
        lastHash: prevHash,
      };
    };
    if (row.id !== expectedId) return broken(`rows ${expectedId}..${row.id - 1} are missing`);
    if (row.prevHash !== prevHash) return broken("its prev_hash does not match the previous row's hash");
    const { hash, ...rest } = row;
    if (hashAuditRow(rest) !== hash) return broken("its content does not match its hash");
    prevHash = hash;
    expectedId++;
    rows++;
  }
  return { verdict: { ok: true, rows }, lastId: expectedId - 1, lastHash: prevHash };
}
