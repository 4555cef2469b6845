import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { liveSlotsOf, metricsEvaluator } from "@/lib/deploy/metrics-evaluator";
import { listSteps } from "@/lib/deploy/store";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { runLoad } from "@/scripts/stack/load";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { startHaproxyFixture, type HaproxyFixture } from "./haproxy-test-fixture";

// Ports 44550-44552: the stack's nginx, blue and green; 44560: HAProxy; 44561: HAProxy's request log (UDP).
const BASE = 44550;

let hx: HaproxyFixture;
let fx: Fixture;
let collectors: Collectors;

async function throughHaproxy() {
  const res = await fetch(`${hx.traffic.lbUrl}/api/health`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json().catch(() => ({}))) as { version?: string };
  return { status: res.status, version: body.version, upstream: res.headers.get("x-greenlight-upstream") };
}

beforeAll(async () => {
  await buildPrivatetradeImages({ versions: ["2.0.1"] });
  hx = await startHaproxyFixture({ port: 44560, bluePort: BASE + 1, greenPort: BASE + 2, logPort: 44561 });
  fx = await engineFixture(BASE, "gl-haauto", (svc) => {
    svc.traffic = { ...hx.traffic };
  });
  collectors = startCollectors({ db: fx.ctx.db, config: fx.config, getLiveSlots: liveSlotsOf(fx.config) });
  fx.ctx.watchEvaluator = metricsEvaluator;
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
}, 180_000);
afterAll(async () => {
  await collectors?.stop();
  await fx?.cleanup();
  await hx?.stop();
});

describe("automatic rollback of a service behind HAProxy, judged from HAProxy's request log", () => {
  it("a release answering half its requests with 5xx under load through HAProxy is rolled back to blue", async () => {
    fx.service.container.env.FAULT_ERROR_RATE = "0.5";
    const smoke = fx.service.smoke;
    fx.service.smoke = [];
    fx.service.watch.bakeSeconds = 45;
    const stop = new AbortController();
    const load = runLoad(
      {
        url: hx.traffic.lbUrl,
        keepAliveClients: 2,
        newConnectionClients: 0,
        requestsPerSecond: 10,
        maxRequests: 5000,
        maxMs: 90_000,
        postEvery: 5,
      },
      stop.signal,
    );
    let dep;
    try {
      dep = await deployAndWait(fx, "privatetrade:2.0.1", { autoPromote: true });
    } finally {
      stop.abort();
      await load;
      delete fx.service.container.env.FAULT_ERROR_RATE;
      fx.service.smoke = smoke;
    }
    expect(dep.status, dep.error ?? "").toBe("rolled_back");
    expect(dep.rollbackReason).toContain("error_rate");
    const watch = listSteps(fx.ctx.db, dep.id).find((s) => s.phase === "watch")!;
    expect(watch.status).toBe("failed");
    expect((watch.detail as { trigger?: { metric: string } }).trigger?.metric).toBe("error_rate");
    expect(await throughHaproxy()).toEqual({
      status: 200,
      version: "1.9.0",
      upstream: `127.0.0.1:${fx.service.slots.blue.port}`,
    });
  }, 150_000);
});
