import fs from "node:fs";
import path from "node:path";
import { MigrationError, sqliteMessage } from "./errors";
import { applyMigrations, type MigrationResult } from "./migrate";
import { openServiceDb } from "./open";

/**
 * Applies the pending migrations to a scratch copy of a backup first, so a broken migration is
 * found without touching the real database. The scratch copy is removed afterwards.
 */
export function rehearseMigrations({
  backupFile,
  dir,
  workDir,
}: {
  backupFile: string;
  dir: string;
  workDir: string;
}): MigrationResult {
  fs.mkdirSync(workDir, { recursive: true });
  const scratchDir = fs.mkdtempSync(path.join(workDir, "rehearsal-"));
  const scratch = path.join(scratchDir, "rehearsal.db");
  try {
    copyDatabase(backupFile, scratch);
    return applyMigrations({ dbPath: scratch, dir });
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

function copyDatabase(from: string, to: string): void {
  let source;
  try {
    source = openServiceDb(from, { readonly: true });
    source.prepare("VACUUM INTO ?").run(to);
  } catch (error) {
    throw new MigrationError(`Cannot copy backup ${from} for the rehearsal: ${sqliteMessage(error)}`, undefined, {
      cause: error,
    });
  } finally {
    source?.close();
  }
}
