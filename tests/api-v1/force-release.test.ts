// Scenario 2's way out: an admin force-releases a deploy lock whose holder died, through the v1 API and the CLI.
// Real SQLite and the real v1 handlers on loopback; no Docker is needed (a lock is a row).
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/create";
import { queryAudit } from "@/lib/audit/query";
import { tempDb } from "@/lib/auth/test-db";
import { configSchema } from "@/lib/config/schema";
import type { EngineContext, NotifyEvent } from "@/lib/deploy/context";
import { forceReleaseLock } from "@/lib/deploy/force-release";
import { acquireLease, deployLockName, readLease } from "@/lib/deploy/lease";
import { startApiV1Server } from "@/tests/support/api-v1-server";
import { runCli } from "@/tests/support/cli-run";

const SERVICE = "gl-lock";
const admin = { id: 1, username: "ada", role: "admin" as const };
let store: ReturnType<typeof tempDb>;
let ctx: EngineContext;
let api: Awaited<ReturnType<typeof startApiV1Server>>;
const notified: NotifyEvent[] = [];
const tokens = { admin: "", rm: "" };

const deadPid = () => spawnSync("true").pid!;
const lock = () => readLease(ctx.db, deployLockName(SERVICE));
const auditRows = () => queryAudit(ctx.db, { action: "lock.force_release" }).rows;

/** A lock as a killed Greenlight left it: another instance, a pid that is gone, an hour left on the lease. */
function staleLock(): void {
  acquireLease(ctx.db, {
    name: deployLockName(SERVICE),
    holder: "dep-crashed",
    reason: "deploy 2.0.0 by alice",
    ttlMs: 3_600_000,
  });
  ctx.db.$client
    .prepare("UPDATE leases SET owner_pid = ?, instance = 'gone' WHERE name = ?")
    .run(deadPid(), deployLockName(SERVICE));
}

const cli = (args: string[], token: string) => runCli(args, { url: api.url, token, killAfterMs: 30_000 });

const post = (token: string, body: unknown) =>
  fetch(`${api.url}/api/v1/services/${SERVICE}/deploy-lock/release`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { message: string } } }));

beforeAll(async () => {
  store = tempDb();
  const config = configSchema.parse({
    nginx: { mainConfig: "/nonexistent/nginx.conf", upstreamDir: "/nonexistent", lbUrl: "http://127.0.0.1:1" },
    services: [{ name: SERVICE, image: "privatetrade", slots: { blue: { port: 52101 }, green: { port: 52102 } } }],
  });
  ctx = { db: store.db, config, dataDir: store.dir, notify: (e) => notified.push(e) };
  tokens.admin = createApiToken(ctx.db, { name: "ops", role: "admin", services: [SERVICE] }, admin).token;
  tokens.rm = createApiToken(ctx.db, { name: "ci", role: "release_manager", services: [SERVICE] }, admin).token;
  api = await startApiV1Server(ctx, 52100);
});
afterAll(async () => {
  await api?.close();
  store?.close();
});
beforeEach(() => {
  ctx.db.$client.prepare("DELETE FROM leases").run();
  notified.length = 0;
});

describe("force-releasing a stale deploy lock", () => {
  it("is refused to a release manager: 403, the lock stays, the attempt is audited as denied", async () => {
    staleLock();
    const before = auditRows().length;
    const reply = await post(tokens.rm, { reason: "the deploy process was killed" });
    expect(reply.status).toBe(403);
    expect(lock()?.holder).toBe("dep-crashed");
    const rows = auditRows();
    expect(rows.length).toBe(before + 1);
    expect(rows[0]).toMatchObject({ actor: "token:ci", outcome: "denied", target: `service:${SERVICE}` });
    expect(notified).toEqual([]);
    const viaCli = await cli(
      ["release-lock", "--service", SERVICE, "--reason", "the deploy process was killed"],
      tokens.rm,
    );
    expect(viaCli.code).toBe(2);
    expect(viaCli.err).toMatch(/admin/);
    expect(lock()?.holder).toBe("dep-crashed");
  });

  it("needs a reason: without one the lock stays, and the message names the field", async () => {
    staleLock();
    for (const body of [{}, { reason: "" }, { reason: "because" }]) {
      const reply = await post(tokens.admin, body);
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
      expect(reply.body.error?.message).toMatch(/reason/);
    }
    expect(lock()?.holder).toBe("dep-crashed");
    expect(notified).toEqual([]);
  });

  it("releases a dead holder's lock for an admin through the CLI: audited with the reason, and notified", async () => {
    staleLock();
    const r = await cli(
      ["release-lock", "--service", SERVICE, "--reason", "deploy host rebooted mid-deploy"],
      tokens.admin,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /Released the deploy lock of gl-lock: it was held by dep-crashed \(deploy 2\.0\.0 by alice\) since \d{4}-/,
    );
    expect(lock()).toBeNull();
    const row = auditRows()[0]!;
    expect(row).toMatchObject({
      actor: "token:ops",
      role: "admin",
      outcome: "ok",
      reason: "deploy host rebooted mid-deploy",
    });
    expect(JSON.parse(String(row.details))).toMatchObject({
      holder: "dep-crashed",
      leaseReason: "deploy 2.0.0 by alice",
    });
    expect(notified).toEqual([
      expect.objectContaining({
        kind: "lock_released",
        service: SERVICE,
        message: expect.stringMatching(
          /force-released the deploy lock of gl-lock held by dep-crashed .*: deploy host rebooted mid-deploy$/,
        ),
      }),
    ]);
  });

  it("refuses a lock whose holder is alive in this process (a deployment waiting at the gate), and one nobody holds", async () => {
    const now = Date.now();
    ctx.db.$client
      .prepare(
        `INSERT INTO deployments (id, service, image, version, to_slot, status, phase, requested_by, created_at, updated_at)
         VALUES ('dep-waiting', ?, 'privatetrade:2.0.0', '2.0.0', 'green', 'awaiting_promotion', 'gate', 'alice', ?, ?)`,
      )
      .run(SERVICE, now, now);
    acquireLease(ctx.db, { name: deployLockName(SERVICE), holder: "dep-waiting", reason: "deploy 2.0.0 by alice" });
    const reply = await post(tokens.admin, { reason: "trying to unblock the next deploy" });
    expect(reply.status).toBe(409);
    expect(reply.body.error?.message).toMatch(
      /dep-waiting is awaiting promotion in this Greenlight process; abort or roll it back instead/,
    );
    expect(lock()?.holder).toBe("dep-waiting");
    expect(auditRows()[0]).toMatchObject({ outcome: "denied", actor: "token:ops" });
    ctx.db.$client.prepare("DELETE FROM leases").run();
    const none = await post(tokens.admin, { reason: "trying to unblock the next deploy" });
    expect(none.status).toBe(409);
    expect(none.body.error?.message).toMatch(/gl-lock is not locked/);
    expect(notified).toEqual([]);
  });

  it("the verb itself refuses anyone but an admin, whatever called it", () => {
    staleLock();
    expect(() =>
      forceReleaseLock(
        ctx,
        { service: SERVICE, reason: "the deploy process was killed" },
        { username: "rm", role: "release_manager" },
      ),
    ).toThrow(/admins only/);
    expect(lock()?.holder).toBe("dep-crashed");
  });
});
