import fs from "node:fs";
import path from "node:path";
import { RestoreError, sqliteMessage } from "./errors";
import { openServiceDb } from "./open";
import { countRows } from "./row-counts";

export { RestoreError } from "./errors";

/** Checks a database file with PRAGMA integrity_check and returns its row counts. */
function verifiedCounts(file: string): Record<string, number> {
  const db = openServiceDb(file, { readonly: true });
  try {
    const verdict = (db.pragma("integrity_check") as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join("; ");
    if (verdict !== "ok") throw new RestoreError(`${file} failed PRAGMA integrity_check: ${verdict.slice(0, 500)}`);
    return countRows(db);
  } finally {
    db.close();
  }
}

/**
 * Manual recovery: replaces the service database's content with a verified backup through the
 * SQLite backup API (so open WAL companions stay consistent). Only ever run when an operator asks;
 * stop the service's writers first, or the copy waits for them and may fail as busy.
 */
export async function restoreBackup({
  backupFile,
  dbPath,
}: {
  backupFile: string;
  dbPath: string;
}): Promise<{ tables: Record<string, number>; ms: number }> {
  const started = performance.now();
  let expected: Record<string, number>;
  try {
    expected = verifiedCounts(backupFile);
  } catch (error) {
    if (error instanceof RestoreError) throw error;
    throw new RestoreError(`Cannot read backup ${backupFile}: ${sqliteMessage(error)}`, { cause: error });
  }
  fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const source = openServiceDb(backupFile, { readonly: true });
  try {
    await source.backup(dbPath, { progress: () => 0x7fffffff });
  } catch (error) {
    throw new RestoreError(`Restoring ${dbPath} from ${backupFile} failed: ${sqliteMessage(error)}`, { cause: error });
  } finally {
    source.close();
  }
  const tables = verifiedCounts(dbPath);
  const differs = Object.keys(expected).filter((t) => tables[t] !== expected[t]);
  if (differs.length > 0)
    throw new RestoreError(`Restored database differs from the backup in table(s) ${differs.join(", ")}`);
  return { tables, ms: Math.round(performance.now() - started) };
}
