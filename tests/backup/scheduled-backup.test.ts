import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newestBackupAt, scheduledSelfBackup } from "@/lib/db/backup";
import { openDb } from "@/lib/db/client";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-selfbackup-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const HOUR = 3_600_000;

describe("the engine's scheduled backup of Greenlight's own database", () => {
  it("is taken when none is younger than everyHours, kept to `keep`, and off at 0 hours", async () => {
    const db = openDb(path.join(dataDir, "greenlight.db"));
    try {
      const selfBackup = { everyHours: 24, keep: 2 };
      const t0 = new Date("2026-12-01T09:00:00.000Z");
      const first = await scheduledSelfBackup({ dataDir, selfBackup }, t0);
      expect(first?.file).toBe(path.join(dataDir, "backups", "greenlight-20261201T090000000Z.db"));
      expect(newestBackupAt(path.join(dataDir, "backups"))).toBe(t0.getTime());
      // Not due again within the day.
      expect(await scheduledSelfBackup({ dataDir, selfBackup }, new Date(t0.getTime() + 23 * HOUR))).toBeNull();
      const second = await scheduledSelfBackup({ dataDir, selfBackup }, new Date(t0.getTime() + 24 * HOUR));
      const third = await scheduledSelfBackup({ dataDir, selfBackup }, new Date(t0.getTime() + 48 * HOUR));
      expect(second).not.toBeNull();
      expect(third?.removed).toEqual([first!.file]);
      expect(fs.readdirSync(path.join(dataDir, "backups")).sort()).toEqual([
        path.basename(second!.file),
        path.basename(third!.file),
      ]);
      expect(
        await scheduledSelfBackup(
          { dataDir, selfBackup: { everyHours: 0, keep: 2 } },
          new Date(t0.getTime() + 99 * HOUR),
        ),
      ).toBeNull();
    } finally {
      db.$client.close();
    }
  });
});
