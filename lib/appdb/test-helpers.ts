import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gltest-d-${label}-`));
}

/** A PrivateTrade-like service database: config (4 rows) and backtests. */
export function makeServiceDb(
  file: string,
  options: { wal?: boolean; backtests?: number; payloadBytes?: number } = {},
): void {
  const db = new Database(file);
  if (options.wal) db.pragma("journal_mode = WAL");
  db.exec(`CREATE TABLE config (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT, created_at TIMESTAMP, updated_at TIMESTAMP);
    CREATE TABLE backtests (id INTEGER PRIMARY KEY AUTOINCREMENT, strategy TEXT NOT NULL, symbol TEXT, params TEXT, created_at TIMESTAMP NOT NULL);
    CREATE INDEX backtests_symbol ON backtests(symbol);`);
  const cfg = db.prepare(
    "INSERT INTO config (name, value, created_at, updated_at) VALUES (?, ?, '2026-02-01', '2026-02-01')",
  );
  for (const [k, v] of [
    ["app_name", "PrivateTrade"],
    ["default_capital", "10000000"],
    ["commission_rate", "0.00015"],
    ["stock_universe", "KOSPI"],
  ])
    cfg.run(k, v);
  const n = options.backtests ?? 10;
  const payload = "x".repeat(options.payloadBytes ?? 20);
  const bt = db.prepare("INSERT INTO backtests (strategy, symbol, params, created_at) VALUES (?, ?, ?, '2026-02-01')");
  db.transaction(() => {
    for (let i = 0; i < n; i++) bt.run(`s${i % 7}`, `00${i % 50}`, `${i}:${payload}`);
  })();
  db.close();
}

/** Schema text and every row of every table, for exact before/after comparison. */
export function dumpDb(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const schema = db
      .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
      .all() as Array<{ type: string; name: string }>;
    const tables = schema.filter((s) => s.type === "table").map((s) => s.name);
    const rows = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
    return JSON.stringify({ schema, rows });
  } finally {
    db.close();
  }
}

export function writeMigration(dir: string, name: string, sql: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), sql);
}
