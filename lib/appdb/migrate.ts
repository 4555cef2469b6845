import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { MigrationError, sqliteMessage } from "./errors";
import { MIGRATIONS_TABLE, openServiceDb, quoteIdent, readServiceDb, userTables } from "./open";

export { MigrationError } from "./errors";
export { rehearseMigrations } from "./rehearse";

export type Migration = { name: string; file: string; sql: string; checksum: string };
export type MigrationResult = { applied: string[]; columns: Record<string, string[]> };

/** The `*.sql` files of a migrations folder, in name order. */
export function listMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new MigrationError(`Migrations folder ${dir} does not exist`);
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql") && fs.statSync(path.join(dir, f)).isFile())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const file = path.join(dir, name);
    const sql = fs.readFileSync(file, "utf8");
    return { name, file, sql, checksum: createHash("sha256").update(sql).digest("hex") };
  });
}

function appliedChecksums(db: Database.Database): Map<string, string> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
  if (!exists) return new Map();
  const rows = db.prepare(`SELECT name, checksum FROM ${MIGRATIONS_TABLE}`).all() as Array<{
    name: string;
    checksum: string;
  }>;
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

/** Migrations not yet applied; a changed file that was already applied is an error naming it. */
function pendingOn(db: Database.Database, dir: string): Migration[] {
  const applied = appliedChecksums(db);
  const pending: Migration[] = [];
  for (const m of listMigrations(dir)) {
    const recorded = applied.get(m.name);
    if (recorded === undefined) pending.push(m);
    else if (recorded !== m.checksum) {
      throw new MigrationError(
        `Migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`,
        m.name,
      );
    }
  }
  return pending;
}

export function pendingMigrations(dbPath: string, dir: string): Migration[] {
  return readServiceDb(dbPath, (db) => pendingOn(db, dir));
}

/** Statements that would end or nest our transaction (or cannot run inside one). */
const TRANSACTION_CONTROL = /(?:^|;)\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|VACUUM)\b/i;

function assertNoTransactionControl(m: Migration): void {
  const code = m.sql.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
  const hit = TRANSACTION_CONTROL.exec(code);
  if (hit) {
    throw new MigrationError(
      `Migration ${m.name} contains ${hit[1]!.toUpperCase()}; Greenlight runs all pending migrations in one transaction itself`,
      m.name,
    );
  }
}

export function tableColumns(dbPath: string, table: string): string[] {
  return readServiceDb(dbPath, (db) => columnsOn(db, table));
}

function columnsOn(db: Database.Database, table: string): string[] {
  if (!userTables(db).includes(table)) return [];
  const rows = db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all() as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

function allColumns(db: Database.Database): Record<string, string[]> {
  return Object.fromEntries(userTables(db).map((t) => [t, columnsOn(db, t)]));
}

/**
 * Applies every pending migration in one BEGIN IMMEDIATE transaction and records each; any error
 * rolls the whole batch back (SQLite DDL is transactional), so the database is exactly as before.
 */
export function applyMigrations({ dbPath, dir }: { dbPath: string; dir: string }): MigrationResult {
  const db = openServiceDb(dbPath);
  try {
    const pending = pendingOn(db, dir);
    pending.forEach(assertNoTransactionControl);
    if (pending.length > 0) runInOneTransaction(db, pending);
    return { applied: pending.map((m) => m.name), columns: allColumns(db) };
  } finally {
    db.close();
  }
}

function runInOneTransaction(db: Database.Database, pending: Migration[]): void {
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    throw new MigrationError(`Cannot start the migration transaction: ${sqliteMessage(error)}`, undefined, {
      cause: error,
    });
  }
  let current: Migration | undefined;
  try {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum, applied_at) VALUES (?, ?, ?)`);
    for (const m of pending) {
      current = m;
      db.exec(m.sql);
      record.run(m.name, m.checksum, new Date().toISOString());
    }
    current = undefined;
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    const where = current ? `Migration ${current.name} failed` : "Committing the migrations failed";
    throw new MigrationError(`${where}: ${sqliteMessage(error)}; nothing was applied`, current?.name, { cause: error });
  }
}
