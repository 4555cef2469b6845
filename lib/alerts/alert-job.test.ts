import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { configSchema } from "@/lib/config/schema";
import { alertStatesOf } from "./store";
import { startAlertJob, type AlertJob } from "./alert-job";

const config = configSchema.parse({
  nginx: { mainConfig: "/nonexistent/nginx.conf", upstreamDir: "/nonexistent", lbUrl: "http://127.0.0.1:53299" },
  services: [
    {
      name: "privatetrade",
      image: "privatetrade",
      slots: { blue: { port: 53298 }, green: { port: 53297 } },
      alerts: { evaluateEverySeconds: 1 },
    },
  ],
});

let t: ReturnType<typeof tempDb> | null = null;
let job: AlertJob | null = null;
afterEach(async () => {
  await job?.stop();
  t?.db.$client.close();
  if (t) fs.rmSync(t.dir, { recursive: true, force: true });
});

describe("the alert job", () => {
  it("evaluates only while this process holds the engine lease", async () => {
    t = tempDb();
    let driving = false;
    job = startAlertJob({
      db: t.db,
      config,
      getLiveSlots: () => ({ privatetrade: "blue" }),
      notify: () => undefined,
      isDriving: () => driving,
    });
    await sleep(2_200);
    expect(alertStatesOf(t.db, "privatetrade")).toEqual([]);
    driving = true;
    await sleep(2_200);
    // The seed's default rules, judged on the live colour (no traffic yet: nothing to page).
    expect(
      alertStatesOf(t.db, "privatetrade")
        .map((s) => `${s.rule}:${s.state}:${s.slot}`)
        .sort(),
    ).toEqual(["error-rate:inactive:blue", "latency-p95:inactive:blue", "memory:inactive:blue"]);
  });
});
