import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { openDb } from "@/lib/db/client";
import { migrate, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { getDeployment } from "@/lib/deploy/store";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "gl-upgrade-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const all = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith(".sql"))
  .sort();

describe("upgrading Greenlight's own database", () => {
  it("from the previous release's schema, with data in it, keeps every row and the audit chain", () => {
    // The previous release: every migration but the newest.
    const previous = path.join(root, "previous-migrations");
    fs.mkdirSync(previous);
    for (const f of all.slice(0, -1)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(previous, f));
    const file = path.join(root, "greenlight.db");
    const old = new Database(file);
    old.pragma("journal_mode = WAL");
    expect(migrate(old, previous)).toEqual(all.slice(0, -1));
    const now = Date.now();
    old
      .prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
      .run("alice", "scrypt$not-a-real-hash", "release_manager", now);
    old
      .prepare(
        `INSERT INTO deployments (id, service, image, version, to_slot, status, phase, requested_by, created_at, updated_at)
         VALUES ('d-before', 'shop', 'shop:1.0.0', '1.0.0', 'blue', 'succeeded', 'done', 'alice', ?, ?)`,
      )
      .run(now, now);
    for (const action of ["deployment.start", "deployment.promote"])
      recordAudit({ $client: old }, { actor: "alice", action, target: "deployment:d-before", at: now });
    old.close();

    // The new release starts on it: the newest migration is applied, nothing is lost.
    const db = openDb(file);
    try {
      const applied = db.$client.prepare("SELECT name FROM _migrations ORDER BY name").all();
      expect(applied).toEqual(all.map((name) => ({ name })));
      expect(getDeployment(db, "d-before")).toMatchObject({ service: "shop", version: "1.0.0", status: "succeeded" });
      expect(db.$client.prepare("SELECT username, role FROM users").all()).toEqual([
        { username: "alice", role: "release_manager" },
      ]);
      expect(db.$client.prepare("SELECT COUNT(*) AS n FROM audit_log").get()).toEqual({ n: 2 });
      expect(verifyAuditChain(db)).toEqual({ ok: true, rows: 2 });
    } finally {
      db.$client.close();
    }
  });
});
