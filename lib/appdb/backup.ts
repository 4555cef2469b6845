import type Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { BackupError, sqliteMessage } from "./errors";
import { openServiceDb, userTables } from "./open";
import { countRows } from "./row-counts";

export { BackupError } from "./errors";

type BackupResult = { file: string; bytes: number; tables: Record<string, number>; integrity: "ok"; ms: number };

/**
 * Online backup of a live service database, verified before it is trusted.
 *
 * All pages are copied in a single backup step, so the copy is one consistent snapshot even while
 * the service keeps writing (in WAL mode a writer never waits for it, and a chunked copy would
 * restart on every write). The backup is verified when `PRAGMA integrity_check` says ok and every
 * table of the source exists in the backup with a row count between the source's count read just
 * before the copy and the one read just after: the live service only appends, so any snapshot
 * taken in between lies within those bounds. A writer that deletes rows meanwhile can fail the
 * check; the message says so and a retry is safe. The backup's own counts are reported.
 */
export async function backupDatabase({
  dbPath,
  destFile,
}: {
  dbPath: string;
  destFile: string;
}): Promise<BackupResult> {
  const started = performance.now();
  const file = path.resolve(destFile);
  if (fs.existsSync(file)) throw new BackupError(`Backup file ${file} already exists; refusing to overwrite it`);
  fs.mkdirSync(path.dirname(file), { recursive: true });

  let source: Database.Database;
  try {
    source = openServiceDb(dbPath);
  } catch (error) {
    throw new BackupError(`Cannot open the service database ${dbPath}: ${sqliteMessage(error)}`, { cause: error });
  }
  try {
    const before = countRows(source);
    await source.backup(file, { progress: () => 0x7fffffff });
    const after = countRows(source);
    finishBackupFile(file);
    const tables = verifyBackup(file, before, after);
    const bytes = fs.statSync(file).size;
    return { file, bytes, tables, integrity: "ok", ms: Math.round(performance.now() - started) };
  } catch (error) {
    removeBackupFiles(file);
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Backup of ${dbPath} failed: ${sqliteMessage(error)}`, { cause: error });
  } finally {
    source.close();
  }
}

/** A backup is one self-contained file: take it out of WAL mode so no -wal/-shm companions are needed. */
function finishBackupFile(file: string): void {
  const db = openServiceDb(file);
  try {
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}

function verifyBackup(
  file: string,
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const db = openServiceDb(file, { readonly: true });
  try {
    const integrity = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const verdict = integrity.map((r) => r.integrity_check).join("; ");
    if (verdict !== "ok") throw new BackupError(`Backup failed PRAGMA integrity_check: ${verdict.slice(0, 500)}`);
    const present = new Set(userTables(db));
    const missing = Object.keys(before).filter((t) => !present.has(t));
    if (missing.length > 0) throw new BackupError(`Backup is missing table(s) ${missing.join(", ")}`);
    const tables = countRows(db);
    for (const [table, low] of Object.entries(before)) {
      const got = tables[table] ?? 0;
      const high = after[table] ?? low;
      if (got < low || got > high) {
        throw new BackupError(
          `Backup of table ${table} holds ${got} rows, outside the source's ${low}..${high} during the backup (were rows deleted meanwhile? retrying is safe)`,
        );
      }
    }
    return tables;
  } finally {
    db.close();
  }
}

function removeBackupFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}
