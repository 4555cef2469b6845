import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { verifyAuditChain, type AuditVerdict } from "@/lib/audit/verify";
import { openDb } from "./client";
import { DB_FILE, SelfBackupError } from "./backup";

export type SelfRestore = { file: string; migrated: string[]; audit: AuditVerdict };

/**
 * Puts a backup made by backupGreenlightDb in place as DATA_DIR/greenlight.db, for a console that is stopped. It
 * refuses a data dir that already holds a database (move it aside first: nothing is overwritten), checks the copy's
 * integrity, then opens it the way the console does, which applies this release's newer migrations.
 */
export function restoreGreenlightDb(input: { backupFile: string; dataDir: string }): SelfRestore {
  const backup = path.resolve(input.backupFile);
  if (!fs.existsSync(backup)) throw new SelfBackupError(`No backup at ${backup}`);
  const dataDir = path.resolve(input.dataDir);
  const target = path.join(dataDir, DB_FILE);
  const present = [target, `${target}-wal`, `${target}-shm`].filter((f) => fs.existsSync(f));
  if (present.length > 0)
    throw new SelfBackupError(
      `${present.join(", ")} already exist(s); stop Greenlight and move them aside, then restore again`,
    );
  const check = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    const verdict = (check.pragma("integrity_check") as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join("; ");
    if (verdict !== "ok") throw new SelfBackupError(`${backup} fails PRAGMA integrity_check: ${verdict.slice(0, 500)}`);
  } finally {
    check.close();
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(backup, `${target}.partial`, fs.constants.COPYFILE_EXCL);
  fs.renameSync(`${target}.partial`, target);
  const before = new Set(migrationNames(target));
  const db = openDb(target);
  try {
    const migrated = migrationNames(target, db.$client).filter((m) => !before.has(m));
    return { file: target, migrated, audit: verifyAuditChain(db) };
  } finally {
    db.$client.close();
  }
}

function migrationNames(file: string, open?: Database.Database): string[] {
  const db = open ?? new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT name FROM _migrations").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    if (!open) db.close();
  }
}
