import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAudit } from "@/lib/audit/query";
import { verifyAuditChain } from "@/lib/audit/verify";
import { listSteps } from "@/lib/deploy/store";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { listOutbox } from "./outbox-rows";
import { notifier } from "./notifier";
import { startReceiver, type Receiver } from "./test-receiver";
import { startOutboxWorker, type OutboxWorker } from "./worker";

const HOOK_PORT = 49040;
const HOOK_PATH = "/services/T0/B0/engine-hook-secret";

let fx: Fixture | undefined;
let hook: Receiver | undefined;
let worker: OutboxWorker | undefined;
const logs: string[] = [];

beforeAll(async () => {
  fx = await engineFixture(49010, "gl-notify", (svc) => {
    svc.notifications = [{ type: "slack", webhookUrl: `http://127.0.0.1:${HOOK_PORT}${HOOK_PATH}` }];
  });
  fx.ctx.notify = notifier(fx.ctx.db, fx.config, (m) => logs.push(m));
});
afterAll(async () => {
  await hook?.close();
  await worker?.stop();
  await fx?.cleanup();
});

// Preflight's reachability probe is a HEAD to the host's root; the messages are the POSTs to the hook.
const posts = () => (hook?.requests ?? []).filter((r) => r.path === HOOK_PATH);
const texts = () => posts().map((r) => (r.body as { text: string }).text);

describe("notifications from a real deployment", () => {
  it("delivers started and completed messages for a deployment the engine drives", async () => {
    hook = await startReceiver(HOOK_PORT);
    worker = startOutboxWorker({ db: fx!.ctx.db, config: fx!.config, intervalMs: 100, log: (m) => logs.push(m) });
    const dep = await deployAndWait(fx!, "privatetrade:1.9.0", { autoPromote: true, by: "rm" });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    for (let i = 0; i < 50 && listOutbox(fx!.ctx.db, { status: "pending" }).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    await worker.tick();
    const name = fx!.service.name;
    expect(texts()).toEqual(
      expect.arrayContaining([
        `rm started deploying ${name} 1.9.0 to blue`,
        `Deployment ${name} 1.9.0 completed successfully. Monitoring in progress.`,
      ]),
    );
    expect(texts()[0]).toBe(`rm started deploying ${name} 1.9.0 to blue`);
    expect(hook.requests.filter((r) => r.path !== HOOK_PATH).map((r) => `${r.method} ${r.path}`)).toEqual(["HEAD /"]);
    expect(listOutbox(fx!.ctx.db).every((r) => r.status === "sent")).toBe(true);
    const audit = queryAudit(fx!.ctx.db, { actor: "greenlight", target: name }).rows.map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(["engine.deployment_started", "engine.succeeded"]));
    expect(verifyAuditChain(fx!.ctx.db).ok).toBe(true);
  });

  it("finishes a deployment while the channel never answers, leaving its messages queued", async () => {
    await hook!.close();
    hook = await startReceiver(HOOK_PORT, () => "hang");
    const before = listOutbox(fx!.ctx.db).length;
    const dep = await deployAndWait(fx!, "privatetrade:2.0.0", { autoPromote: true, by: "rm" });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    const queued = listOutbox(fx!.ctx.db).slice(before);
    expect(queued.map((r) => r.kind)).toEqual(expect.arrayContaining(["deployment_started", "succeeded"]));
    // The deployment is done; the channel has not answered a single one of its messages.
    expect(queued.every((r) => r.status === "pending")).toBe(true);
    for (let i = 0; i < 50 && hook!.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(texts()[0]).toBe(`rm started deploying ${fx!.service.name} 2.0.0 to green`);
    const preflight = listSteps(fx!.ctx.db, dep.id).find((s) => s.phase === "preflight")!;
    expect(preflight.status).toBe("warning");
    const checks = (preflight.detail as { checks: Array<{ id: string; status: string; detail: string }> }).checks;
    expect(checks.find((c) => c.id === "channels")).toMatchObject({ status: "warn" });
    expect(JSON.stringify(checks)).not.toContain("engine-hook-secret");
    expect(JSON.stringify([listOutbox(fx!.ctx.db), logs])).not.toContain("engine-hook-secret");
  });
});
