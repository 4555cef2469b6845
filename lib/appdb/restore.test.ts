import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backupDatabase } from "./backup";
import { RestoreError, restoreBackup } from "./restore";
import { dumpDb, makeServiceDb, tempDir } from "./test-helpers";

const dir = tempDir("restore");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("restore of the service database from a backup", () => {
  it("brings back exactly the backed-up schema and rows", async () => {
    const db = path.join(dir, "app.db");
    makeServiceDb(db, { wal: true, backtests: 300 });
    const backup = await backupDatabase({ dbPath: db, destFile: path.join(dir, "pre.db") });
    const before = dumpDb(db);

    const conn = new Database(db);
    conn.exec("ALTER TABLE config ADD COLUMN broken TEXT; DELETE FROM backtests WHERE id % 2 = 0;");
    conn.close();
    expect(dumpDb(db)).not.toBe(before);

    const restored = await restoreBackup({ backupFile: backup.file, dbPath: db });
    expect(restored.tables).toEqual({ backtests: 300, config: 4 });
    expect(dumpDb(db)).toBe(before);
  });

  it("refuses a backup that is not a database and leaves the target alone", async () => {
    const db = path.join(dir, "keep.db");
    makeServiceDb(db);
    const before = dumpDb(db);
    const bogus = path.join(dir, "bogus.db");
    fs.writeFileSync(bogus, "not a database at all".repeat(50));
    await expect(restoreBackup({ backupFile: bogus, dbPath: db })).rejects.toBeInstanceOf(RestoreError);
    expect(dumpDb(db)).toBe(before);
  });
});
