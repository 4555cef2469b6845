// Greenlight's own database: `npm run backup` taken while another process writes deployments, restored with
// `npm run restore` into a fresh data dir, opened with the console's own openDb; and the retention of backups.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { createUser } from "@/lib/auth/create-user";
import { backupGreenlightDb } from "@/lib/db/backup";
import { openDb } from "@/lib/db/client";
import { deploymentId, writeDeployment } from "@/tests/support/greenlight-writes";

const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);
const dirs: string[] = [];
const tmp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gl-self-backup-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** `npm run backup` / `npm run restore` without npm: the same script, arguments as an array (no shell). */
const cli = (dataDir: string, args: string[]) =>
  run(process.execPath, ["--import", "tsx", "scripts/backup.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, GREENLIGHT_DATA_DIR: dataDir },
  });

const rowsOf = (db: ReturnType<typeof openDb>, sql: string) =>
  db.$client.prepare(sql).all() as Array<Record<string, unknown>>;

describe("backup of Greenlight's own database", () => {
  it("is consistent while deployments are written, restores into a fresh data dir with everything in it", async () => {
    const live = tmp("live");
    const file = path.join(live, "greenlight.db");
    const db = openDb(file);
    for (const [username, role] of [
      ["ada", "admin"],
      ["rita", "release_manager"],
      ["otto", "oncall"],
    ] as const)
      await createUser(db, { username, password: "correct-horse-battery-staple", role });
    for (let n = 1; n <= 2000; n++) writeDeployment(db, n);

    const writer = spawn(process.execPath, ["--import", "tsx", "tests/support/greenlight-db-writer.ts", file, "2001"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    writer.stdout.on("data", (d: Buffer) => (said += d));
    writer.stderr.on("data", (d: Buffer) => (said += d));
    const stopped = new Promise((r) => writer.once("exit", r));
    for (let i = 0; i < 200 && !said.includes("writing"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(said).toContain("writing");
    const before = (db.$client.prepare("SELECT COUNT(*) AS n FROM deployments").get() as { n: number }).n;

    const out = path.join(tmp("out"), "backups");
    const backup = await cli(live, ["backup", "--out", out]);
    writer.kill("SIGTERM");
    await stopped;
    expect(said).toMatch(/wrote \d+/);
    const [name] = fs.readdirSync(out);
    expect(name).toMatch(/^greenlight-\d{8}T\d{9}Z\.db$/);
    expect(backup.stdout).toContain(`Backup ${path.join(out, name!)}`);
    expect(backup.stdout).toMatch(/\d+ KB|\d+\.\d MB/);
    expect(backup.stdout).toMatch(/taken \d{4}-\d\d-\d\dT[\d:.]+Z in \d+ ms; integrity ok; \d+ migrations applied/);
    expect(fs.existsSync(path.join(out, `${name}-wal`))).toBe(false);

    const fresh = path.join(tmp("restored"), "data");
    const restore = await cli(fresh, ["restore", path.join(out, name!)]);
    expect(restore.stdout).toContain("audit chain intact");
    const restored = openDb(path.join(fresh, "greenlight.db"));
    try {
      const got = rowsOf(restored, "SELECT * FROM deployments ORDER BY id");
      const all = rowsOf(db, "SELECT * FROM deployments ORDER BY id");
      // Everything written before the backup started, and a consistent prefix of what came during it.
      expect(got.length).toBeGreaterThanOrEqual(before);
      expect(got.length).toBeLessThan(all.length);
      expect(got).toEqual(all.slice(0, got.length));
      expect(got.at(-1)!.id).toBe(deploymentId(got.length));
      const audit = rowsOf(restored, "SELECT * FROM audit_log ORDER BY id");
      expect(audit).toEqual(rowsOf(db, "SELECT * FROM audit_log ORDER BY id").slice(0, audit.length));
      const audited = new Set(audit.map((r) => r.target));
      expect(got.filter((d) => !audited.has(`deployment:${String(d.id)}`))).toEqual([]);
      expect(verifyAuditChain(restored)).toEqual({ ok: true, rows: audit.length });
      expect(rowsOf(restored, "SELECT * FROM users ORDER BY id")).toEqual(
        rowsOf(db, "SELECT * FROM users ORDER BY id"),
      );
      expect(rowsOf(restored, "SELECT name FROM _migrations ORDER BY name")).toEqual(
        rowsOf(db, "SELECT name FROM _migrations ORDER BY name"),
      );
    } finally {
      restored.$client.close();
      db.$client.close();
    }
  }, 90_000);

  it("refuses to restore over an existing database, naming it and the next step", async () => {
    const live = tmp("occupied");
    openDb(path.join(live, "greenlight.db")).$client.close();
    const made = await backupGreenlightDb({ dataDir: live });
    const refused = await cli(live, ["restore", made.file]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain(
      `${path.join(live, "greenlight.db")} already exist(s); stop Greenlight and move them aside, then restore again`,
    );
  });

  it("keeps the newest 7 by default and never counts a failed backup", async () => {
    const live = tmp("keep");
    openDb(path.join(live, "greenlight.db")).$client.close();
    const times = Array.from({ length: 9 }, (_, i) => new Date(Date.UTC(2026, 11, 3, 6, 0, i)));
    for (const now of times) await backupGreenlightDb({ dataDir: live, now });
    const names = () => fs.readdirSync(path.join(live, "backups")).sort();
    expect(names()).toEqual(times.slice(2).map((t) => `greenlight-${t.toISOString().replace(/[-:.]/g, "")}.db`));
    await expect(backupGreenlightDb({ dataDir: live, now: times[8] })).rejects.toThrow("already exists");
    await expect(backupGreenlightDb({ dataDir: path.join(live, "nowhere") })).rejects.toThrow(
      "set GREENLIGHT_DATA_DIR to the console's data dir",
    );
    expect(names()).toHaveLength(7);
  });
});
