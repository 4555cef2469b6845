import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { AppError, ValidationError } from "@/lib/errors";

/** Greenlight's own database could not be backed up, or the copy did not verify. */
export class SelfBackupError extends AppError {
  override readonly code = "self_backup_failed";
}

export type SelfBackup = {
  file: string;
  bytes: number;
  at: Date;
  ms: number;
  migrations: string[];
  rows: { deployments: number; audit_log: number; users: number };
  removed: string[];
};

export const DB_FILE = "greenlight.db";
export const DEFAULT_KEEP = 7;
const NAME = /^greenlight-\d{8}T\d{9}Z\.db$/;

const stamp = (at: Date) => at.toISOString().replace(/[-:.]/g, "");
const applied = (db: Database.Database) =>
  (db.prepare("SELECT name FROM _migrations ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
const count = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/**
 * An online backup of GREENLIGHT_DATA_DIR/greenlight.db with better-sqlite3's backup API, copied in one step so it
 * is one consistent snapshot while the console keeps writing. The copy is written under a `.partial` name, made
 * self-contained (no WAL), verified (`PRAGMA integrity_check`, the same migrations applied as the source), and only
 * then named `greenlight-<UTC time>.db`; of those, the newest `keep` stay. A failure leaves the older backups alone.
 */
export async function backupGreenlightDb(input: {
  dataDir: string;
  outDir?: string;
  keep?: number;
  now?: Date;
}): Promise<SelfBackup> {
  const keep = input.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new ValidationError("--keep must be a whole number of at least 1");
  const source = path.join(path.resolve(input.dataDir), DB_FILE);
  if (!fs.existsSync(source))
    throw new SelfBackupError(`No Greenlight database at ${source}; set GREENLIGHT_DATA_DIR to the console's data dir`);
  const outDir = path.resolve(input.outDir ?? path.join(input.dataDir, "backups"));
  fs.mkdirSync(outDir, { recursive: true });
  const at = input.now ?? new Date();
  const file = path.join(outDir, `greenlight-${stamp(at)}.db`);
  if (fs.existsSync(file)) throw new SelfBackupError(`Backup file ${file} already exists; try again in a moment`);
  const partial = `${file}.partial`;
  const started = performance.now();

  // Never migrated here: the running console owns its schema; the backup copies it as it is.
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const expected = applied(db);
    await db.backup(partial, { progress: () => 0x7fffffff });
    const rows = verifyCopy(partial, expected);
    fs.renameSync(partial, file);
    const removed = prune(outDir, keep);
    const ms = Math.round(performance.now() - started);
    return { file, bytes: fs.statSync(file).size, at, ms, migrations: expected, rows, removed };
  } catch (error) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true });
    if (error instanceof AppError) throw error;
    throw new SelfBackupError(`Backup of ${source} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
  }
}

/** Self-contained, intact and at the source's schema version; returns the row counts operators look for. */
function verifyCopy(file: string, expected: string[]): SelfBackup["rows"] {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const verdict = (copy.pragma("integrity_check") as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join("; ");
    if (verdict !== "ok")
      throw new SelfBackupError(`The backup failed PRAGMA integrity_check: ${verdict.slice(0, 500)}`);
    const got = applied(copy);
    if (got.join() !== expected.join())
      throw new SelfBackupError(
        `The backup lists migrations ${got.join(", ") || "none"}, the source ${expected.join(", ")}; retry the backup`,
      );
    return {
      deployments: count(copy, "deployments"),
      audit_log: count(copy, "audit_log"),
      users: count(copy, "users"),
    };
  } finally {
    copy.close();
  }
}

/** Removes all but the newest `keep` verified backups this command made (by name, so by time). */
function prune(outDir: string, keep: number): string[] {
  const backups = fs
    .readdirSync(outDir)
    .filter((f) => NAME.test(f))
    .sort();
  const old = backups.slice(0, Math.max(0, backups.length - keep)).map((f) => path.join(outDir, f));
  for (const f of old) fs.rmSync(f, { force: true });
  return old;
}

/** When the newest backup in `outDir` was taken (from its name), or null when there is none. */
export function newestBackupAt(outDir: string): number | null {
  if (!fs.existsSync(outDir)) return null;
  const newest = fs
    .readdirSync(outDir)
    .filter((f) => NAME.test(f))
    .sort()
    .at(-1);
  if (!newest) return null;
  const s = newest.slice("greenlight-".length, -".db".length);
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

/**
 * The engine's scheduled backup of Greenlight's own database: taken when the newest one in the backup folder is
 * older than `selfBackup.everyHours` (or there is none), verified and pruned like `npm run backup`. Null when not due.
 */
export async function scheduledSelfBackup(
  input: { dataDir: string; selfBackup: { everyHours: number; keep: number; dir?: string } },
  now = new Date(),
): Promise<SelfBackup | null> {
  const { everyHours, keep, dir } = input.selfBackup;
  if (everyHours <= 0) return null;
  const outDir = path.resolve(dir ?? path.join(input.dataDir, "backups"));
  const newest = newestBackupAt(outDir);
  if (newest !== null && now.getTime() - newest < everyHours * 3_600_000) return null;
  return backupGreenlightDb({ dataDir: input.dataDir, outDir, keep, now });
}
