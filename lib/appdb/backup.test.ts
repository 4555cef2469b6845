import { spawn, type ChildProcess } from "node:child_process";
import Database from "better-sqlite3";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BackupError, backupDatabase } from "./backup";
import { tableRowCounts } from "./row-counts";
import { makeServiceDb, tempDir } from "./test-helpers";

const dir = tempDir("backup");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

const sqlitePath = createRequire(import.meta.url).resolve("better-sqlite3");
const WRITER = `
const Database = require(process.argv[2]);
const db = new Database(process.argv[3]);
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
const ins = db.prepare("INSERT INTO backtests (strategy, symbol, params, created_at) VALUES ('live', '005930', ?, datetime('now'))");
const batch = db.transaction((n) => { for (let i = 0; i < n; i++) ins.run("y".repeat(200)); });
const end = Date.now() + Number(process.argv[4]);
let written = 0;
batch(10); written += 10;
process.stdout.write("ready\\n");
while (Date.now() < end && written < 2000000) { batch(50); written += 50; }
db.close();
process.stdout.write("written " + written + "\\n");
`;

/** Starts a separate process that keeps appending rows for about durationMs; resolves once it writes. */
function startWriter(dbPath: string, durationMs: number): Promise<{ done: Promise<number> }> {
  const script = path.join(dir, "writer.cjs");
  fs.writeFileSync(script, WRITER);
  const child = spawn(process.execPath, [script, sqlitePath, dbPath, String(durationMs)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const done = new Promise<number>((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0 ? resolve(Number(/written (\d+)/.exec(out)?.[1])) : reject(new Error(`writer exited ${code}: ${err}`)),
    ),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("ready")) resolve({ done });
    });
    done.catch(reject);
  });
}

describe("online backup of the service database", () => {
  it("completes and verifies while another process keeps inserting rows in WAL mode (scenario 19)", async () => {
    const db = path.join(dir, "live.db");
    makeServiceDb(db, { wal: true, backtests: 60_000, payloadBytes: 300 });
    const writer = await startWriter(db, 2000);
    await new Promise((r) => setTimeout(r, 300));
    const before = tableRowCounts(db);
    const result = await backupDatabase({ dbPath: db, destFile: path.join(dir, "backups", "live-pre.db") });
    const after = tableRowCounts(db);
    const written = await writer.done;

    expect(after.backtests!).toBeGreaterThan(before.backtests!);
    expect(result.integrity).toBe("ok");
    expect(result.tables.config).toBe(4);
    expect(result.tables.backtests!).toBeGreaterThanOrEqual(before.backtests!);
    expect(result.tables.backtests!).toBeLessThanOrEqual(after.backtests!);
    expect(fs.existsSync(`${result.file}-wal`)).toBe(false);
    const check = new Database(result.file, { readonly: true });
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(check.pragma("journal_mode", { simple: true })).toBe("delete");
    check.close();
    expect(tableRowCounts(result.file)).toEqual(result.tables);
    console.log(
      `[measure] backup under live writes: ${(result.bytes / 1e6).toFixed(1)} MB in ${result.ms} ms; writer added ${written} rows over ~2 s`,
    );
  });

  it("backs up a ~50 MB database and prints size and time", async () => {
    const db = path.join(dir, "big.db");
    makeServiceDb(db, { wal: true, backtests: 110_000, payloadBytes: 400 });
    const result = await backupDatabase({ dbPath: db, destFile: path.join(dir, "backups", "big.db") });
    expect(result.tables).toEqual({ backtests: 110_000, config: 4 });
    console.log(
      `[measure] backup of ${(fs.statSync(db).size / 1e6).toFixed(1)} MB database: ${(result.bytes / 1e6).toFixed(1)} MB backup in ${result.ms} ms (incl. integrity_check and counts)`,
    );
  });

  it("refuses to overwrite an existing backup file", async () => {
    const db = path.join(dir, "small.db");
    makeServiceDb(db);
    const dest = path.join(dir, "exists.db");
    fs.writeFileSync(dest, "keep me");
    await expect(backupDatabase({ dbPath: db, destFile: dest })).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(dest, "utf8")).toBe("keep me");
  });

  it("fails with BackupError and leaves no file when the source is not a database", async () => {
    const db = path.join(dir, "garbage.db");
    fs.writeFileSync(db, "this is not sqlite".repeat(100));
    const dest = path.join(dir, "garbage-backup.db");
    await expect(backupDatabase({ dbPath: db, destFile: dest })).rejects.toBeInstanceOf(BackupError);
    await expect(backupDatabase({ dbPath: path.join(dir, "missing.db"), destFile: dest })).rejects.toThrow(
      /Cannot open/,
    );
    expect(fs.existsSync(dest)).toBe(false);
  });

  it("rejects a backup that fails integrity_check and deletes the written file", async () => {
    const db = path.join(dir, "corrupt.db");
    const conn = new Database(db);
    conn.exec("CREATE TABLE t(a, b); CREATE INDEX t_a ON t(a);");
    const ins = conn.prepare("INSERT INTO t VALUES (?, ?)");
    for (let i = 0; i < 50; i++) ins.run(`AAAAAAAAAAAA${i}`, i);
    const root = (conn.prepare("SELECT rootpage FROM sqlite_master WHERE name = 't_a'").get() as { rootpage: number })
      .rootpage;
    const pageSize = conn.pragma("page_size", { simple: true }) as number;
    conn.close();
    // Rewrite the index's keys in place: the file stays readable but the index no longer matches the table.
    const bytes = fs.readFileSync(db);
    const page = bytes.subarray((root - 1) * pageSize, root * pageSize);
    Buffer.from(page.toString("latin1").replaceAll("AAAAAAAAAAAA", "BBBBBBBBBBBB"), "latin1").copy(
      bytes,
      (root - 1) * pageSize,
    );
    fs.writeFileSync(db, bytes);

    const dest = path.join(dir, "corrupt-backup.db");
    await expect(backupDatabase({ dbPath: db, destFile: dest })).rejects.toThrow(
      /integrity_check: row \d+ missing from index t_a/,
    );
    expect(fs.existsSync(dest)).toBe(false);
  });
});
