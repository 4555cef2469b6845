import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDocker } from "@/lib/docker/client";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { expectServes, stepOf, stepsOf, targetContainers } from "@/tests/support/scenario-helpers";
import type { NotifyEvent } from "./context";
import { failureOf } from "./failure-kinds";
import { listEvents, listSteps } from "./store";

// A copy of 1.9.0 under a name of this suite's own: a tag that promises 2.0.5 on an image that is really 1.9.0.
const MISTAGGED = "privatetrade:2.0.5-failfast";
const SECRET = "sekrit-4b7e1c9a77";
let fx: Fixture;
let sec: Fixture;
let migrations: string;
const notified: NotifyEvent[] = [];

type Answer = { status: number | null; body: string; bodyTruncated: boolean; logs?: string };

beforeAll(async () => {
  migrations = fs.mkdtempSync(path.join(os.tmpdir(), "gl-ff-mig-"));
  fs.copyFileSync(
    path.join(REPO_ROOT, "examples/privatetrade/migrations/001_add_specific_stock_selection.sql"),
    path.join(migrations, "001_add_specific_stock_selection.sql"),
  );
  // Today's defaults: a 300 s health deadline, so only the answers can end these phases within the test's time.
  fx = await engineFixture(46110, "gl-ff", (svc) => {
    svc.database.migrations = migrations;
    svc.health.deadlineSeconds = 300;
    svc.container.stopGraceSeconds = 2;
  });
  await getDocker()
    .getImage("privatetrade:1.9.0")
    .tag({ repo: "privatetrade", tag: MISTAGGED.split(":")[1] });
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
  fx.ctx.notify = (e) => notified.push(e);
  // A service whose health answer carries a configured secret: what the app said is kept, the secret is not.
  sec = await engineFixture(46120, "gl-ffsec", (svc) => {
    svc.health.deadlineSeconds = 300;
    svc.container.stopGraceSeconds = 2;
    svc.container.env.FAULT_WRONG_VERSION = { value: SECRET, secret: true };
  });
}, 180_000);
afterAll(async () => {
  await fx?.cleanup();
  await sec?.cleanup();
  await getDocker()
    .getImage(MISTAGGED)
    .remove()
    .catch(() => undefined);
  if (migrations) fs.rmSync(migrations, { recursive: true, force: true });
});

describe("failures that are certain end at once and say what the app said", () => {
  it("an image that reports another version fails the health phase after three healthy answers, not at the deadline", async () => {
    const dep = await deployAndWait(fx, MISTAGGED, { autoPromote: true });
    expect(dep.status).toBe("failed");
    expect(dep.version).toBe("2.0.5-failfast");
    const health = stepOf(fx, dep.id, "health")!;
    expect(health.status).toBe("failed");
    expect(health.summary).toMatch(
      /^The image reports 1\.9\.0; this release expects 2\.0\.5-failfast \(is the tag right\?\)\. 3 healthy answer\(s\) in \d+ ms, the last 3 alike\.$/,
    );
    const detail = health.detail as { kind: string; attempts: number; answer: Answer };
    expect(detail.kind).toBe("wrong_version");
    expect(detail.attempts).toBe(3);
    expect(detail.answer.status).toBe(200);
    expect(JSON.parse(detail.answer.body)).toMatchObject({ status: "healthy", version: "1.9.0" });
    expect(detail.answer.logs).toMatch(/Application started on port/);
    expect(failureOf(listSteps(fx.ctx.db, dep.id))).toMatchObject({
      kind: "wrong_version",
      title: "Wrong version",
      phase: "health",
    });
    const failed = notified.find((e) => e.kind === "failed" && e.deploymentId === dep.id);
    expect(failed?.message).toMatch(
      /this release expects 2\.0\.5-failfast .*Next step: Check the tag points at the right build/,
    );
    expect(failed?.detail).toMatchObject({ failure: "wrong_version" });
    expect(listEvents(fx.ctx.db, dep.id).at(-1)?.message).toMatch(/Next step:/);
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    await expectServes(fx, "blue", "1.9.0");
  }, 60_000);

  it("a migration that breaks the live release fails on the rehearsal's third identical 503, with the body naming the missing column", async () => {
    fs.writeFileSync(
      path.join(migrations, "002_break_v1.sql"),
      "-- greenlight:since 2.0.0\nALTER TABLE config RENAME COLUMN value TO config_value;\n",
    );
    try {
      const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
      expect(dep.status).toBe("failed");
      expect(stepsOf(fx, dep.id).slice(-2)).toEqual(["migrate:failed", "cleanup:passed"]);
      const migrate = stepOf(fx, dep.id, "migrate")!;
      expect(migrate.summary).toMatch(
        /would break the live release, so it was not applied: the live 1\.9\.0 is not healthy on the migrated copy: answered 503 \(\d+ answers, the last 3 alike\)/,
      );
      const detail = migrate.detail as { kind: string; rehearsal: { answer: Answer } };
      expect(detail.kind).toBe("migration_breaks_n1");
      expect(detail.rehearsal.answer.status).toBe(503);
      expect(JSON.parse(detail.rehearsal.answer.body)).toMatchObject({
        status: "unhealthy",
        reason: "database schema is missing columns: value",
      });
      expect(detail.rehearsal.answer.logs).toMatch(/Application started on port/);
      expect(failureOf(listSteps(fx.ctx.db, dep.id))).toMatchObject({
        kind: "migration_breaks_n1",
        answer: { status: 503 },
      });
      await expectServes(fx, "blue", "1.9.0");
    } finally {
      fs.rmSync(path.join(migrations, "002_break_v1.sql"));
    }
  }, 60_000);

  it("the kept answer, the reason and the notification never hold a configured secret", async () => {
    const events: NotifyEvent[] = [];
    sec.ctx.notify = (e) => events.push(e);
    const dep = await deployAndWait(sec, "privatetrade:2.0.0", { autoPromote: true });
    expect(dep.status).toBe("failed");
    const health = stepOf(sec, dep.id, "health")!;
    const answer = (health.detail as { answer: Answer }).answer;
    expect(health.summary).toMatch(/^The image reports ••••••; this release expects 2\.0\.0/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: "healthy", version: "••••••" });
    const everything = JSON.stringify({
      dep,
      steps: listSteps(sec.ctx.db, dep.id),
      events: listEvents(sec.ctx.db, dep.id),
      notified: events,
    });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(SECRET.slice(0, 10));
  }, 60_000);
});
