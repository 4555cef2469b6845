import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";
import { openDb, type Db } from "@/lib/db/client";
import { deployments, type DeploymentStatus } from "@/lib/db/schema";
import type { EngineContext, NotifyEvent } from "./context";
import { acquireLease, deployLockName, readLease } from "./lease";
import { enter, settle } from "./lifecycle";
import { getDeployment, listEvents, listSteps } from "./store";

/** Written out by hand from the design: which state may follow which. Not read from lifecycle.ts. */
const ALLOWED: Record<DeploymentStatus, DeploymentStatus[]> = {
  running: ["running", "awaiting_promotion", "switch_failed", "succeeded", "failed", "aborted", "rolling_back"],
  awaiting_promotion: ["running", "aborted", "expired", "failed"],
  switch_failed: ["running", "aborted", "expired", "failed"],
  rolling_back: ["rolling_back", "rolled_back", "failed", "running", "succeeded"],
  succeeded: ["rolling_back"],
  failed: ["rolling_back"],
  aborted: [],
  expired: [],
  rolled_back: [],
  noop: [],
};
const STATES = Object.keys(ALLOWED) as DeploymentStatus[];
const FINAL: DeploymentStatus[] = ["succeeded", "failed", "aborted", "expired", "rolled_back", "noop"];

const EXAMPLE = path.resolve(__dirname, "../../examples/privatetrade/greenlight.yaml");
let dir: string;
let db: Db;
let ctx: EngineContext;
let notified: NotifyEvent[];
let n = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-lifecycle-"));
  db = openDb(path.join(dir, "greenlight.db"));
  ctx = { db, config: loadConfig(EXAMPLE), dataDir: dir, notify: (e) => notified.push(e) };
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  notified = [];
});

const service = () => ctx.config.services[0]!.name;

function deploymentIn(status: DeploymentStatus): string {
  const id = `dep-${++n}`;
  const now = Date.now();
  db.insert(deployments)
    .values({
      id,
      service: service(),
      image: "privatetrade:1.0.0",
      version: "1.0.0",
      toSlot: "blue",
      status,
      phase: "pull",
      requestedBy: "rm",
      createdAt: now,
      updatedAt: now,
    })
    .run();
  db.$client.prepare("DELETE FROM leases").run();
  acquireLease(db, { name: deployLockName(service()), holder: id, reason: "test" });
  return id;
}

const auditCount = () => (db.$client.prepare("SELECT count(*) AS n FROM audit_log").get() as { n: number }).n;
const actor = { username: "rm", role: "release_manager", via: "console" as const };
const full = {
  step: { phase: "cleanup" as const },
  event: { level: "info" as const, message: "moved" },
  notify: { kind: "failed" as const, message: "moved" },
  audit: { actor },
};

describe("the deployment lifecycle table", () => {
  for (const from of STATES)
    for (const to of STATES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? "allowed" : "refused"}`, () => {
        const id = deploymentIn(from);
        const audits = auditCount();
        const entered = enter(ctx, id, to, full);
        if (allowed) {
          expect(entered?.deployment.status).toBe(to);
          expect(getDeployment(db, id).status).toBe(to);
          expect(listSteps(db, id).map((s) => s.phase)).toEqual(["cleanup"]);
          expect(listEvents(db, id).map((e) => e.message)).toEqual(["moved"]);
          expect(notified).toHaveLength(1);
          expect(auditCount()).toBe(audits + 1);
          // A final state gives the deploy lock back; any other keeps it with the deployment.
          expect(readLease(db, deployLockName(service()))?.holder ?? null).toBe(FINAL.includes(to) ? null : id);
        } else {
          expect(entered).toBeNull();
          expect(getDeployment(db, id).status).toBe(from);
          // A refused transition writes nothing at all.
          expect(listSteps(db, id)).toEqual([]);
          expect(listEvents(db, id)).toEqual([]);
          expect(notified).toEqual([]);
          expect(auditCount()).toBe(audits);
          expect(readLease(db, deployLockName(service()))?.holder).toBe(id);
        }
      });
    }

  it("refuses a move the caller narrowed out, writing nothing", () => {
    const id = deploymentIn("rolling_back");
    const audits = auditCount();
    expect(enter(ctx, id, "rolling_back", { ...full, from: ["running", "succeeded", "failed"] })).toBeNull();
    expect(getDeployment(db, id).status).toBe("rolling_back");
    expect(listSteps(db, id)).toEqual([]);
    expect(auditCount()).toBe(audits);
    expect(notified).toEqual([]);
  });

  it("scrubs the service's secrets out of the error, the step, the event and the notification", () => {
    const secret = "s3cr3t-value-8812";
    const svc = ctx.config.services[0]!;
    svc.container.env.LIFECYCLE_SECRET = { value: secret, secret: true };
    try {
      const id = deploymentIn("running");
      const said = `token ${secret} leaked`;
      enter(ctx, id, "failed", {
        patch: { error: said },
        step: { phase: "cleanup", outcome: { status: "failed", summary: said, detail: { log: said } } },
        event: { level: "error", message: said },
        notify: { kind: "failed", message: said },
        audit: { actor, reason: said },
      });
      const written = JSON.stringify([
        getDeployment(db, id),
        listSteps(db, id),
        listEvents(db, id),
        notified,
        db.$client.prepare("SELECT * FROM audit_log").all(),
      ]);
      expect(written).toContain("token ");
      expect(written).not.toContain(secret);
    } finally {
      delete svc.container.env.LIFECYCLE_SECRET;
    }
  });

  it("lets a caller keep the lock in a final state (a cleanup still running) or release it in another", () => {
    const kept = deploymentIn("running");
    enter(ctx, kept, "aborted", { lease: "keep" });
    expect(readLease(db, deployLockName(service()))?.holder).toBe(kept);
    const released = deploymentIn("rolling_back");
    enter(ctx, released, "running", { lease: "release" });
    expect(readLease(db, deployLockName(service()))).toBeNull();
  });

  it("keeps the lock through a cleanup and releases it when settle() closes the cleanup step", () => {
    const id = deploymentIn("awaiting_promotion");
    const claimed = enter(ctx, id, "aborted", { step: { phase: "cleanup" }, lease: "keep" })!;
    expect(listSteps(db, id).map((s) => `${s.phase}:${s.status}`)).toEqual(["cleanup:running"]);
    expect(readLease(db, deployLockName(service()))?.holder).toBe(id);
    settle(ctx, id, {
      closeStep: { id: claimed.stepId!, outcome: { status: "passed", summary: "removed the target" } },
      event: { level: "warn", message: "aborted: asked" },
      notify: { kind: "failed", message: "aborted" },
    });
    expect(getDeployment(db, id).status).toBe("aborted");
    expect(listSteps(db, id).map((s) => `${s.phase}:${s.status}:${s.summary}`)).toEqual([
      "cleanup:passed:removed the target",
    ]);
    expect(listEvents(db, id).map((e) => e.message)).toEqual(["aborted: asked"]);
    expect(notified.map((e) => e.kind)).toEqual(["failed"]);
    expect(readLease(db, deployLockName(service()))).toBeNull();
  });
});
