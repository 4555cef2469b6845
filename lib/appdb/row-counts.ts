import type Database from "better-sqlite3";
import { NotFoundError } from "@/lib/errors";
import { openServiceDb, quoteIdent, readServiceDb, userTables } from "./open";

/** Counts rows per table on an open connection, all in one read transaction (one snapshot). */
export function countRows(db: Database.Database, tables?: string[]): Record<string, number> {
  return db.transaction(() => {
    const known = userTables(db);
    const wanted = tables ?? known;
    const missing = wanted.filter((t) => !known.includes(t));
    if (missing.length > 0)
      throw new NotFoundError(`Table ${missing.join(", ")} does not exist in the service database`);
    const counts: Record<string, number> = {};
    for (const table of wanted) {
      const row = db.prepare(`SELECT COUNT(*) AS n FROM ${quoteIdent(table)}`).get() as { n: number };
      counts[table] = row.n;
    }
    return counts;
  })();
}

/** Row counts of the given tables (all user tables when omitted) in the service database at dbPath. */
export function tableRowCounts(dbPath: string, tables?: string[]): Record<string, number> {
  return readServiceDb(dbPath, (db) => countRows(db, tables));
}

type MinRowsResult = { table: string; rows: number; minRows: number; ok: boolean; reason?: string };

/** Checks each table holds at least minRows rows; a missing table is a failed check, not an exception. */
export function checkMinRows(dbPath: string, checks: Array<{ table: string; minRows: number }>): MinRowsResult[] {
  const db = openServiceDb(dbPath, { readonly: true });
  try {
    const known = new Set(userTables(db));
    const present = checks.map((c) => c.table).filter((t) => known.has(t));
    const counts = countRows(db, [...new Set(present)]);
    return checks.map(({ table, minRows }) => {
      const rows = counts[table];
      if (rows === undefined) return { table, rows: 0, minRows, ok: false, reason: `table ${table} does not exist` };
      const ok = rows >= minRows;
      return ok
        ? { table, rows, minRows, ok }
        : { table, rows, minRows, ok, reason: `table ${table} has ${rows} rows, expected at least ${minRows}` };
    });
  } finally {
    db.close();
  }
}
