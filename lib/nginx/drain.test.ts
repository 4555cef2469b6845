import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { masterPid } from "./nginx-ctl";
import { workerProcesses } from "./nginx-processes";
import { waitForOldWorkers } from "./drain";
import { startBlueGreen, verifyBackend, type BlueGreenFixture } from "./nginx-test-fixture";
import { switchUpstream } from "./switch-upstream";

const NGINX_PORT = 42020;
const BLUE = 42021;
const GREEN = 42022;
const SERVICE = "gltest-c-drain";

let fx: BlueGreenFixture;
const events: string[] = [];

beforeAll(async () => {
  fx = await startBlueGreen({
    port: NGINX_PORT,
    service: SERVICE,
    bluePort: BLUE,
    greenPort: GREEN,
    blueOptions: { delayMs: 1500, onSlowAnswer: () => events.push("blue answered the slow request") },
  });
});

afterAll(() => fx?.stop());

describe("waitForOldWorkers", () => {
  it("returns at once when no reload left old workers behind", async () => {
    const result = await waitForOldWorkers(fx.nginx, { timeoutMs: 1000 });
    expect(result).toMatchObject({ drained: true, remaining: [] });
  });

  it("lets a long request in flight during the switch complete, and returns only after it did", async () => {
    const slow = fetch(`${fx.nginx.lbUrl}/slow`).then(async (r) => {
      const body = (await r.json()) as { version: string };
      return { status: r.status, version: body.version };
    });
    await new Promise((r) => setTimeout(r, 300));

    const switched = await switchUpstream({
      nginx: fx.nginx,
      service: SERVICE,
      slot: "green",
      port: GREEN,
      version: "2.0.0",
    });
    const master = masterPid(fx.nginx)!;
    const shuttingDown = workerProcesses(master).filter((w) => w.shuttingDown);
    expect(shuttingDown.length).toBeGreaterThan(0);
    expect(switched.oldWorkers).toEqual(expect.arrayContaining(shuttingDown.map((w) => w.pid)));

    const verified = await verifyBackend(fx, { version: "2.0.0", port: GREEN, deadlineMs: 5000, intervalMs: 20 });
    expect(verified.ok).toBe(true);

    const early = await waitForOldWorkers(fx.nginx, { timeoutMs: 0 });
    expect(early.drained).toBe(false);
    expect(early.remaining.length).toBeGreaterThan(0);

    const drained = await waitForOldWorkers(fx.nginx, { timeoutMs: 10_000 });
    events.push("drained");
    expect(drained).toMatchObject({ drained: true, remaining: [] });
    // The old worker exits only after relaying blue's answer, so drain cannot return before blue answered.
    expect(events).toEqual(["blue answered the slow request", "drained"]);
    expect(await slow).toEqual({ status: 200, version: "1.9.0" });
    expect(workerProcesses(master).some((w) => w.shuttingDown)).toBe(false);
    console.log(
      `[measure] drain waited ${drained.waitedMs.toFixed(0)} ms for the in-flight request (events: ${events.join(" -> ")})`,
    );
  });
});
