import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAudit } from "@/lib/audit/query";
import { verifyAuditChain } from "@/lib/audit/verify";
import { openDb } from "@/lib/db/client";
import type { EngineContext } from "@/lib/deploy/context";
import { acquireLease, deployLockName, releaseLease } from "@/lib/deploy/lease";
import { getDeployment, unfinishedDeployments } from "@/lib/deploy/store";
import { notifier } from "@/lib/notify/notifier";
import { listOutbox } from "@/lib/notify/outbox-rows";
import { startReceiver, type Receiver } from "@/lib/notify/test-receiver";
import { startOutboxWorker, type OutboxWorker } from "@/lib/notify/worker";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { cancelSchedule } from "./cancel";
import { scheduleDeployment } from "./create";
import { reschedule } from "./reschedule";
import { runSchedules } from "./run";
import { startMissedSchedule } from "./start-missed";
import { getSchedule } from "./store";

const HOOK_PORT = 52010;
const HOOK_PATH = "/services/T0/B0/schedule-hook";
const RM = { username: "rm", role: "release_manager", via: "api" } as const;
const MIN = 60_000;

let fx: Fixture | undefined;
let hook: Receiver | undefined;
let worker: OutboxWorker | undefined;

beforeAll(async () => {
  hook = await startReceiver(HOOK_PORT);
  fx = await engineFixture(52000, "gl-sched", (svc) => {
    svc.notifications = [{ type: "slack", webhookUrl: `http://127.0.0.1:${HOOK_PORT}${HOOK_PATH}` }];
    svc.schedule = { announcement: "{service}: {fromVersion} -> {version} at {at}, booked by {by} ({image})" };
  });
  fx.ctx.notify = notifier(fx.ctx.db, fx.config);
  worker = startOutboxWorker({ db: fx.ctx.db, config: fx.config, intervalMs: 100 });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true, by: "rm" });
  expect(first.status, first.error ?? "").toBe("succeeded");
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await hook?.close();
  await fx?.cleanup();
});

/** The texts the local Slack receiver got. */
const posted = () => hook!.requests.filter((r) => r.path === HOOK_PATH).map((r) => (r.body as { text: string }).text);

/** Waits (bounded) for a text the receiver got that contains `part`. */
async function postedWith(part: string): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const found = posted().find((t) => t.includes(part));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

async function settled(ctx: EngineContext, id: string) {
  for (let i = 0; i < 600; i++) {
    const dep = getDeployment(ctx.db, id);
    if (!unfinishedDeployments(ctx.db).some((d) => d.id === id)) return dep;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`deployment ${id} did not finish`);
}

const T0 = Date.UTC(2030, 0, 15, 16, 0);
const CREATED = Date.UTC(2030, 0, 15, 13, 0);

describe("the scheduler on a controllable clock", () => {
  it("posts the preflight at T-60 and the announcement at T-30, and starts at T-0 on a fresh passing preflight", async () => {
    const ctx = fx!.ctx;
    const name = fx!.service.name;
    const s = scheduleDeployment(
      ctx,
      { service: name, image: "privatetrade:2.0.0", autoPromote: true, at: "2030-01-15T16:00:00Z" },
      RM,
      CREATED,
    );
    expect(s.status).toBe("scheduled");

    await runSchedules(ctx, T0 - 61 * MIN);
    expect(getSchedule(ctx.db, s.id).preflightAt).toBeNull();

    await runSchedules(ctx, T0 - 60 * MIN);
    const afterPreflight = getSchedule(ctx.db, s.id);
    expect(afterPreflight.preflightStatus).not.toBe("failed");
    expect(await postedWith(`Preflight for ${name} 2.0.0`)).toMatch(
      new RegExp(
        `^Preflight for ${name} 2\\.0\\.0 scheduled for 2030-01-15 16:00 UTC \\(T-60 min\\) (passed|warning): \\d+ checks passed`,
      ),
    );
    expect(getSchedule(ctx.db, s.id).announcedAt).toBeNull();

    await runSchedules(ctx, T0 - 30 * MIN);
    expect(await postedWith(`${name}: 1.9.0`)).toBe(
      `${name}: 1.9.0 -&gt; 2.0.0 at 2030-01-15 16:00 UTC, booked by rm (privatetrade:2.0.0)`,
    );
    // Nothing is due again before T-0.
    await runSchedules(ctx, T0 - 1 * MIN);
    expect(getSchedule(ctx.db, s.id).status).toBe("scheduled");

    await runSchedules(ctx, T0);
    const started = getSchedule(ctx.db, s.id);
    expect(started.status, started.reason ?? "").toBe("started");
    const dep = await settled(ctx, started.deploymentId!);
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    expect(dep.version).toBe("2.0.0");
    expect(dep.requestedBy).toBe("rm");
  }, 180_000);

  it("a failing preflight alerts at T-60, and at T-0 leaves nothing started", async () => {
    const ctx = fx!.ctx;
    const name = fx!.service.name;
    const day = 86_400_000;
    const s = scheduleDeployment(
      ctx,
      { service: name, image: "privatetrade:1.9.0", at: "2030-01-16T16:00:00Z" },
      RM,
      CREATED + day,
    );
    const minFree = fx!.service.preflight.minFreeDiskMb;
    fx!.service.preflight.minFreeDiskMb = 1e12;
    try {
      await runSchedules(ctx, T0 + day - 60 * MIN);
      expect(getSchedule(ctx.db, s.id).preflightStatus).toBe("failed");
      const alert = await postedWith(
        `Preflight for ${name} 1.9.0 scheduled for 2030-01-16 16:00 UTC (T-60 min) failed`,
      );
      expect(alert).toContain("Free disk");
      const deployments = ctx.db.$client.prepare("SELECT count(*) AS n FROM deployments").get() as { n: number };

      await runSchedules(ctx, T0 + day);
      const failed = getSchedule(ctx.db, s.id);
      expect(failed.status).toBe("failed");
      expect(failed.reason).toContain("the preflight at T-0 failed");
      expect(failed.deploymentId).toBeNull();
      expect(ctx.db.$client.prepare("SELECT count(*) AS n FROM deployments").get()).toEqual(deployments);
      expect(ctx.db.$client.prepare("SELECT holder FROM leases WHERE name = ?").get(deployLockName(name))).toBe(
        undefined,
      );
      expect(await postedWith(`${name} 1.9.0 scheduled for 2030-01-16 16:00 UTC did not start`)).toContain(
        "the preflight at T-0 failed: Preflight failed: ",
      );
      expect(listOutbox(ctx.db).filter((r) => r.kind === "schedule_failed")).toHaveLength(2);
    } finally {
      fx!.service.preflight.minFreeDiskMb = minFree;
    }
  }, 60_000);
});

describe("a window missed while Greenlight was down", () => {
  /** A second engine context on the same database file, as a restarted process opens it. */
  const restarted = (): EngineContext => ({ ...fx!.ctx, db: openDb(`${fx!.dataDir}/greenlight.db`) });

  it("ask: waits as missed across the restart, and a release manager's start runs the fresh preflight and deploys", async () => {
    const name = fx!.service.name;
    const at = Date.UTC(2030, 0, 17, 16, 0);
    const s = scheduleDeployment(
      fx!.ctx,
      { service: name, image: "privatetrade:1.9.0", autoPromote: true, at: "2030-01-17T16:00:00Z" },
      RM,
      at - 3 * 60 * MIN,
    );
    const ctx = restarted();
    await runSchedules(ctx, at + 15 * MIN);
    const missed = getSchedule(ctx.db, s.id);
    expect(missed.status).toBe("missed");
    expect(missed.reason).toBe(
      `${name} 1.9.0 scheduled for 2030-01-17 16:00 UTC was missed: Greenlight was not running at 2030-01-17 16:00 UTC; it waits for a release manager to start or cancel it.`,
    );
    expect(missed.deploymentId).toBeNull();
    // Later ticks never start it on their own.
    await runSchedules(ctx, at + 30 * MIN);
    expect(getSchedule(ctx.db, s.id).status).toBe("missed");

    const started = await startMissedSchedule(ctx, { id: s.id }, RM);
    expect(started.status, started.reason ?? "").toBe("started");
    expect((await settled(ctx, started.deploymentId!)).status).toBe("succeeded");
    const audit = queryAudit(ctx.db, { action: "schedule.start" }).rows;
    expect(audit.map((r) => [r.actor, r.target])).toEqual([["rm", `schedule:${s.id}`]]);
  }, 120_000);

  it("skip: cancelled with an alert, never started", async () => {
    const name = fx!.service.name;
    const at = Date.UTC(2030, 0, 18, 16, 0);
    fx!.service.schedule.missed = "skip";
    try {
      const s = scheduleDeployment(
        fx!.ctx,
        { service: name, image: "privatetrade:2.0.0", at: "2030-01-18T16:00:00Z" },
        RM,
        at - 3 * 60 * MIN,
      );
      const ctx = restarted();
      await runSchedules(ctx, at + 5 * MIN);
      const skipped = getSchedule(ctx.db, s.id);
      expect(skipped.status).toBe("cancelled");
      expect(skipped.reason).toContain("cancelled by the service's skip policy");
      expect(skipped.deploymentId).toBeNull();
      expect(await postedWith(`${name} 2.0.0 scheduled for 2030-01-18 16:00 UTC was missed`)).toContain(
        "cancelled by the service's skip policy",
      );
      const audit = queryAudit(ctx.db, { action: "engine.schedule_missed" }).rows.map((r) => JSON.parse(r.details));
      expect(audit.find((d) => d.scheduleId === s.id)).toMatchObject({
        scheduleId: s.id,
        policy: "skip",
      });
    } finally {
      fx!.service.schedule.missed = "ask";
    }
  });

  it("a T-0 preflight interrupted by a crash is treated as missed, not started", async () => {
    const at = Date.UTC(2030, 0, 19, 16, 0);
    const s = scheduleDeployment(
      fx!.ctx,
      { service: fx!.service.name, image: "privatetrade:2.0.0", at: "2030-01-19T16:00:00Z" },
      RM,
      at - 60 * MIN,
    );
    fx!.ctx.db.$client.prepare("UPDATE scheduled_deployments SET status = 'starting' WHERE id = ?").run(s.id);
    const ctx = restarted();
    await runSchedules(ctx, at + 10_000);
    expect(getSchedule(ctx.db, s.id)).toMatchObject({ status: "missed", deploymentId: null });
    expect(getSchedule(ctx.db, s.id).reason).toContain("Greenlight stopped while the preflight at T-0");
    cancelSchedule(ctx, { id: s.id }, RM);
  });
});

describe("people's acts on a schedule", () => {
  it("cancel and reschedule are audited with the old and new time", () => {
    const ctx = fx!.ctx;
    const name = fx!.service.name;
    const s = scheduleDeployment(
      ctx,
      { service: name, image: "privatetrade:2.0.0", at: "2030-02-01T09:00:00Z" },
      RM,
      CREATED,
    );
    const moved = reschedule(ctx, { id: s.id, at: "2030-02-01T10:30:00+01:00" }, RM, CREATED);
    expect(moved.at).toBe(Date.UTC(2030, 1, 1, 9, 30));
    const cancelled = cancelSchedule(ctx, { id: s.id, reason: "freeze week" }, { ...RM, via: "console" });
    expect(cancelled.status).toBe("cancelled");
    const rows = queryAudit(ctx.db, { target: `schedule:${s.id}` }).rows;
    expect(rows.map((r) => r.action).sort()).toEqual(["schedule.cancel", "schedule.create", "schedule.reschedule"]);
    const re = rows.find((r) => r.action === "schedule.reschedule")!;
    expect(re.reason).toBe(`rm moved ${name} 2.0.0 from 2030-02-01 09:00 UTC to 2030-02-01 09:30 UTC`);
    expect(JSON.parse(re.details)).toMatchObject({ from: "2030-02-01T09:00:00.000Z", at: "2030-02-01T09:30:00.000Z" });
    expect(rows.find((r) => r.action === "schedule.cancel")!.reason).toContain(": freeze week");
    expect(() => cancelSchedule(ctx, { id: s.id }, RM)).toThrow(/is cancelled; only a waiting or missed one/);
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
  });

  it("refuses a past, unparsable or zone-less time, a second pending schedule and a locked service, writing nothing", () => {
    const ctx = fx!.ctx;
    const name = fx!.service.name;
    const count = () => ctx.db.$client.prepare("SELECT count(*) AS n FROM scheduled_deployments").get();
    const before = count();
    const book = (at: string) => () =>
      scheduleDeployment(ctx, { service: name, image: "privatetrade:2.0.0", at }, RM, CREATED);
    expect(book("2030-01-15T12:59:00Z")).toThrow(
      "at: 2030-01-15 12:59 UTC is in the past (it is now 2030-01-15 13:00 UTC).",
    );
    expect(book("next tuesday")).toThrow('at: "next tuesday" is not an ISO 8601 time with a zone');
    expect(book("2030-01-15T16:00:00")).toThrow("is not an ISO 8601 time with a zone (Z or ±hh:mm)");
    expect(book("2030-02-31T16:00:00Z")).toThrow("is not an ISO 8601 time");
    expect(count()).toEqual(before);

    const first = book("2030-01-20T16:00:00Z")();
    expect(book("2030-01-21T16:00:00Z")).toThrow(
      `${name} already has a deployment of 2.0.0 scheduled for 2030-01-20 16:00 UTC (${first.id}, scheduled)`,
    );
    cancelSchedule(ctx, { id: first.id }, RM);

    acquireLease(ctx.db, { name: deployLockName(name), holder: "dtest", reason: "deploy 2.1.0 by ci" });
    try {
      expect(book("2030-01-22T16:00:00Z")).toThrow(`${name} is locked: held by dtest (deploy 2.1.0 by ci)`);
    } finally {
      releaseLease(ctx.db, deployLockName(name), "dtest");
    }
  });
});
