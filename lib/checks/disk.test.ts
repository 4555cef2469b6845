import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freeDiskMb } from "./disk";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-d-disk-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("free disk", () => {
  it("reports whole MB available on the filesystem of a path", async () => {
    const free = await freeDiskMb(dir);
    const stats = fs.statfsSync(dir);
    expect(Number.isInteger(free)).toBe(true);
    expect(free).toBeGreaterThan(0);
    expect(Math.abs(free - (stats.bavail * stats.bsize) / 2 ** 20)).toBeLessThan(64);
    console.log(`[measure] ${free} MB free under ${os.tmpdir()}`);
  });

  it("measures the nearest existing parent of a path not created yet", async () => {
    const later = path.join(dir, "backups", "privatetrade");
    expect(Math.abs((await freeDiskMb(later)) - (await freeDiskMb(dir)))).toBeLessThan(64);
  });
});
