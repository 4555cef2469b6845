import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  listMigrations,
  MigrationError,
  pendingMigrations,
  rehearseMigrations,
  tableColumns,
} from "./migrate";
import { dumpDb, makeServiceDb, tempDir, writeMigration } from "./test-helpers";

const root = tempDir("migrate");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const EXAMPLE = path.resolve(__dirname, "../../examples/privatetrade/migrations/001_add_specific_stock_selection.sql");
const V2_SQL = fs.existsSync(EXAMPLE)
  ? fs.readFileSync(EXAMPLE, "utf8")
  : "ALTER TABLE config ADD COLUMN stock_mode TEXT;\nALTER TABLE config ADD COLUMN selected_specific_stocks TEXT;\n";

let n = 0;
function fixture(options: { wal?: boolean; backtests?: number } = {}): { db: string; dir: string } {
  const base = path.join(root, `case-${++n}`);
  fs.mkdirSync(base);
  const db = path.join(base, "backtest.db");
  makeServiceDb(db, { wal: options.wal ?? true, backtests: options.backtests ?? 500 });
  const dir = path.join(base, "migrations");
  writeMigration(dir, "001_add_specific_stock_selection.sql", V2_SQL);
  return { db, dir };
}

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("service database migrations", () => {
  it("lists *.sql files in name order and ignores the rest", () => {
    const { dir } = fixture();
    writeMigration(dir, "010_later.sql", "SELECT 1;");
    writeMigration(dir, "002_next.sql", "SELECT 1;");
    fs.writeFileSync(path.join(dir, "README.md"), "notes");
    expect(listMigrations(dir).map((m) => m.name)).toEqual([
      "001_add_specific_stock_selection.sql",
      "002_next.sql",
      "010_later.sql",
    ]);
    expect(() => listMigrations(path.join(dir, "missing"))).toThrow(/Migrations folder .*missing does not exist/);
  });

  it("applies the v2.0.0 migration, records it and never re-applies it", () => {
    const { db, dir } = fixture();
    expect(pendingMigrations(db, dir).map((m) => m.name)).toEqual(["001_add_specific_stock_selection.sql"]);
    const started = performance.now();
    const result = applyMigrations({ dbPath: db, dir });
    const ms = performance.now() - started;
    expect(result.applied).toEqual(["001_add_specific_stock_selection.sql"]);
    expect(result.columns.config).toEqual([
      "id",
      "name",
      "value",
      "created_at",
      "updated_at",
      "stock_mode",
      "selected_specific_stocks",
    ]);
    expect(tableColumns(db, "config")).toEqual(result.columns.config);
    expect(result.columns._greenlight_migrations).toBeUndefined();

    const conn = new Database(db, { readonly: true });
    const rec = conn.prepare("SELECT name, checksum, applied_at FROM _greenlight_migrations").all() as Array<{
      name: string;
      checksum: string;
      applied_at: string;
    }>;
    expect(rec).toHaveLength(1);
    expect(rec[0]!.checksum).toBe(listMigrations(dir)[0]!.checksum);
    expect(Number.isNaN(Date.parse(rec[0]!.applied_at))).toBe(false);
    expect((conn.prepare("SELECT COUNT(*) AS n FROM config").get() as { n: number }).n).toBe(4);
    conn.close();

    expect(pendingMigrations(db, dir)).toEqual([]);
    expect(applyMigrations({ dbPath: db, dir }).applied).toEqual([]);
    writeMigration(dir, "002_index.sql", "CREATE INDEX config_name ON config(name);");
    expect(applyMigrations({ dbPath: db, dir }).applied).toEqual(["002_index.sql"]);
    console.log(`[measure] applying the v2.0.0 migration to a 4-config-row, 500-backtest DB: ${ms.toFixed(1)} ms`);
  });

  it("rolls everything back when a later file fails after an ALTER: schema and rows as before (scenario 20)", () => {
    const { db, dir } = fixture();
    writeMigration(
      dir,
      "002_broken.sql",
      "ALTER TABLE backtests ADD COLUMN tag TEXT;\nUPDATE backtests SET tag = 'x';\nINSERT INTO no_such_table VALUES (1);\n",
    );
    const before = dumpDb(db);
    let error: unknown;
    try {
      applyMigrations({ dbPath: db, dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).file).toBe("002_broken.sql");
    expect((error as Error).message).toMatch(
      /^Migration 002_broken\.sql failed: no such table: no_such_table; nothing was applied$/,
    );
    expect(dumpDb(db)).toBe(before);
    expect(tableColumns(db, "config")).not.toContain("stock_mode");
    expect(pendingMigrations(db, dir).map((m) => m.name)).toEqual([
      "001_add_specific_stock_selection.sql",
      "002_broken.sql",
    ]);
    const conn = new Database(db);
    expect(conn.pragma("integrity_check", { simple: true })).toBe("ok");
    conn.prepare("INSERT INTO config (name, value) VALUES ('after', 'still writable')").run();
    conn.close();
  });

  it("detects a changed file that was already applied, naming it", () => {
    const { db, dir } = fixture();
    applyMigrations({ dbPath: db, dir });
    writeMigration(dir, "001_add_specific_stock_selection.sql", `${V2_SQL}\n-- edited later\n`);
    expect(() => pendingMigrations(db, dir)).toThrow(
      /001_add_specific_stock_selection\.sql was changed after it was applied/,
    );
    expect(() => applyMigrations({ dbPath: db, dir })).toThrow(MigrationError);
  });

  it("refuses files that manage transactions themselves, before touching the database", () => {
    const { db, dir } = fixture();
    writeMigration(dir, "002_tx.sql", "-- BEGIN in a comment is fine\nBEGIN;\nCREATE TABLE x (a);\nCOMMIT;\n");
    const before = dumpDb(db);
    expect(() => applyMigrations({ dbPath: db, dir })).toThrow(/002_tx\.sql contains BEGIN/);
    expect(dumpDb(db)).toBe(before);
  });

  it("rehearses on a copy of the backup: success reports the result, failure leaves the real database untouched", () => {
    const { db, dir } = fixture({ wal: false });
    const backup = path.join(path.dirname(db), "backup.db");
    fs.copyFileSync(db, backup);
    const work = path.join(path.dirname(db), "work");
    const dbHash = sha(db);

    const ok = rehearseMigrations({ backupFile: backup, dir, workDir: work });
    expect(ok.applied).toEqual(["001_add_specific_stock_selection.sql"]);
    expect(ok.columns.config).toContain("selected_specific_stocks");

    writeMigration(dir, "002_broken.sql", "ALTER TABLE config ADD COLUMN stock_mode TEXT;\n");
    expect(() => rehearseMigrations({ backupFile: backup, dir, workDir: work })).toThrow(
      /^Migration 002_broken\.sql failed: duplicate column name: stock_mode/,
    );
    expect(sha(db)).toBe(dbHash);
    expect(sha(backup)).toBe(dbHash);
    expect(pendingMigrations(db, dir)).toHaveLength(2);
    expect(fs.readdirSync(work)).toEqual([]);
  });

  it("migrates a ~50 MB database and prints the time", () => {
    const { db, dir } = fixture({ backtests: 0 });
    const conn = new Database(db);
    const ins = conn.prepare(
      "INSERT INTO backtests (strategy, symbol, params, created_at) VALUES ('s', '005930', ?, '2026-02-01')",
    );
    conn.transaction(() => {
      for (let i = 0; i < 110_000; i++) ins.run(`${i}:${"x".repeat(400)}`);
    })();
    conn.close();
    writeMigration(
      dir,
      "002_backtests_tag.sql",
      "ALTER TABLE backtests ADD COLUMN tag TEXT;\nCREATE INDEX backtests_created ON backtests(created_at);\n",
    );
    const started = performance.now();
    const result = applyMigrations({ dbPath: db, dir });
    const ms = performance.now() - started;
    expect(result.applied).toHaveLength(2);
    console.log(
      `[measure] two migrations (ADD COLUMN x2 + UPDATE, ADD COLUMN + CREATE INDEX over 110k rows) on a ${(fs.statSync(db).size / 1e6).toFixed(1)} MB DB: ${ms.toFixed(0)} ms`,
    );
  });
});
