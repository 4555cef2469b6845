import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkMinRows, tableRowCounts } from "./row-counts";
import { makeServiceDb, tempDir } from "./test-helpers";

const dir = tempDir("rows");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("row counts of the service database", () => {
  const db = path.join(dir, "app.db");
  makeServiceDb(db, { backtests: 25 });

  it("counts every user table when none are named", () => {
    expect(tableRowCounts(db)).toEqual({ backtests: 25, config: 4 });
  });

  it("counts only the named tables, and refuses names that are not tables", () => {
    expect(tableRowCounts(db, ["config"])).toEqual({ config: 4 });
    expect(() => tableRowCounts(db, ['config" ; DROP TABLE config; --'])).toThrow(/does not exist/);
    expect(tableRowCounts(db, ["config"])).toEqual({ config: 4 });
  });

  it("reports min-row checks, treating a missing table as a failed check", () => {
    expect(
      checkMinRows(db, [
        { table: "config", minRows: 4 },
        { table: "backtests", minRows: 30 },
        { table: "nope", minRows: 0 },
      ]),
    ).toEqual([
      { table: "config", rows: 4, minRows: 4, ok: true },
      {
        table: "backtests",
        rows: 25,
        minRows: 30,
        ok: false,
        reason: "table backtests has 25 rows, expected at least 30",
      },
      { table: "nope", rows: 0, minRows: 0, ok: false, reason: "table nope does not exist" },
    ]);
  });

  it("never creates a database that does not exist", () => {
    const missing = path.join(dir, "missing.db");
    expect(() => tableRowCounts(missing)).toThrow();
    expect(fs.existsSync(missing)).toBe(false);
  });
});
