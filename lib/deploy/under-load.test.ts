import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, lbHealth, type Fixture } from "@/tests/support/engine-fixture";
import { runLoad, type LoadResult } from "@/scripts/stack/load";
import { rollbackDeployment } from "./rollback";

let fx: Fixture;

beforeAll(async () => {
  fx = await engineFixture(45070, "gl-load", (svc) => {
    // Smoke budgets are not what this test is about; a loaded 2-core machine may exceed 500 ms.
    for (const t of svc.smoke) t.budgetMs = 5000;
  });
  expect((await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true })).status).toBe("succeeded");
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("switch and rollback under constant load (scenario 16)", () => {
  it("keep-alive and new-connection clients, GET and POST: no request fails across two switches and two rollbacks", async () => {
    const stop = new AbortController();
    const load = runLoad(
      {
        url: fx.lbUrl,
        keepAliveClients: 3,
        newConnectionClients: 3,
        requestsPerSecond: 25,
        maxRequests: 20_000,
        maxMs: 90_000,
        postEvery: 4,
      },
      stop.signal,
    );
    const versions: string[] = [];
    let result: LoadResult;
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let cycle = 0; cycle < 2; cycle++) {
        const dep = await deployAndWait(fx, "privatetrade:2.0.0", { autoPromote: true });
        expect(dep.status, dep.error ?? "").toBe("succeeded");
        versions.push((await lbHealth(fx)).version ?? "?");
        await new Promise((r) => setTimeout(r, 300));
        await rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "load test", by: "test" });
        versions.push((await lbHealth(fx)).version ?? "?");
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      stop.abort();
      result = await load;
    }
    expect(versions).toEqual(["2.0.0", "1.9.0", "2.0.0", "1.9.0"]);
    expect(result.requests).toBeGreaterThan(100);
    expect({ non2xx: result.non2xx, connectionErrors: result.connectionErrors, byStatus: result.byStatus }).toEqual({
      non2xx: 0,
      connectionErrors: 0,
      byStatus: expect.not.objectContaining({ "502": expect.anything() }),
    });
  });
});
