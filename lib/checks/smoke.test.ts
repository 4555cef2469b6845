import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmokeTest } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";
import { isReadOnly, judgeSmoke, runSmokeTests } from "./smoke";
import { startServer } from "./test-servers";

const PORT = 43010;
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer(PORT, (req, body) => {
    if (req.url === "/api/stocks/mode" && req.method === "POST") {
      const parsed = JSON.parse(body) as { mode?: string };
      return {
        status: parsed.mode === "specific" && req.headers["content-type"] === "application/json" ? 200 : 400,
        json: { ok: true },
      };
    }
    if (req.url === "/api/stocks/specific" && req.method === "GET") return { status: 200, json: ["005930"] };
    if (req.url === "/api/slow") return { status: 200, json: {}, delayMs: 300 };
    if (req.url === "/api/broken") return { status: 500, json: { error: "boom" } };
    return { status: 404, json: {} };
  });
});
afterAll(() => server?.close());

const t = (over: Partial<SmokeTest> & Pick<SmokeTest, "name" | "path">): SmokeTest => ({
  method: "GET",
  expect: [200],
  budgetMs: 500,
  ...over,
});

describe("smoke tests", () => {
  it("runs every test in declared order, sending JSON bodies, and records each result", async () => {
    server.requests.length = 0;
    const tests = [
      t({ name: "set mode", method: "POST", path: "/api/stocks/mode", body: { mode: "specific" } }),
      t({ name: "list", path: "/api/stocks/specific" }),
      t({ name: "delete unknown", method: "DELETE", path: "/api/stocks/specific/000000", expect: [200, 404] }),
    ];
    const r = await runSmokeTests({ baseUrl: `http://127.0.0.1:${PORT}/`, tests });
    expect(r.ok).toBe(true);
    expect(r.results.map((x) => [x.name, x.method, x.path, x.status, x.ok, x.budgetMs])).toEqual([
      ["set mode", "POST", "/api/stocks/mode", 200, true, 500],
      ["list", "GET", "/api/stocks/specific", 200, true, 500],
      ["delete unknown", "DELETE", "/api/stocks/specific/000000", 404, true, 500],
    ]);
    expect(server.requests).toEqual([
      'POST /api/stocks/mode {"mode":"specific"}',
      "GET /api/stocks/specific",
      "DELETE /api/stocks/specific/000000",
    ]);
  });

  it("fails on an unexpected status or a blown budget, saying which, and still runs the rest", async () => {
    const r = await runSmokeTests({
      baseUrl: `http://127.0.0.1:${PORT}`,
      tests: [
        t({ name: "broken", path: "/api/broken" }),
        t({ name: "slow", path: "/api/slow", budgetMs: 100 }),
        t({ name: "list", path: "/api/stocks/specific" }),
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.results[0]).toMatchObject({ ok: false, status: 500, reason: "answered 500, expected 200" });
    expect(r.results[1]).toMatchObject({ ok: false, status: 200 });
    expect(r.results[1]!.reason).toMatch(/^took \d+ ms, budget 100 ms$/);
    expect(r.results[2]).toMatchObject({ ok: true, status: 200 });
  });

  it("judges status and budget together", () => {
    const test = t({ name: "x", path: "/x", expect: [200, 404] });
    expect(judgeSmoke(test, { status: 500, ms: 734 }).reason).toBe(
      "answered 500, expected 200 or 404; took 734 ms, budget 500 ms",
    );
    expect(judgeSmoke(test, { status: 404, ms: 500 })).toMatchObject({ ok: true });
    expect(judgeSmoke(test, { ms: 3, error: "connection refused" })).toMatchObject({
      ok: false,
      reason: "connection refused",
    });
  });

  it("runs only read-only tests when asked (live slot after a migration)", async () => {
    const tests = [
      t({ name: "set mode", method: "POST", path: "/api/stocks/mode", body: { mode: "specific" } }),
      t({ name: "list", path: "/api/stocks/specific" }),
      t({ name: "marked safe", method: "POST", path: "/api/stocks/mode", body: { mode: "specific" }, readOnly: true }),
      t({ name: "marked unsafe", path: "/api/stocks/specific", readOnly: false }),
    ];
    expect(tests.map(isReadOnly)).toEqual([false, true, true, false]);
    const r = await runSmokeTests({ baseUrl: `http://127.0.0.1:${PORT}`, tests, readOnlyOnly: true });
    expect(r.results.map((x) => x.name)).toEqual(["list", "marked safe"]);
  });

  it("reports an unreachable slot and refuses non-loopback base URLs", async () => {
    const r = await runSmokeTests({
      baseUrl: "http://127.0.0.1:43011",
      tests: [t({ name: "list", path: "/api/stocks/specific" })],
    });
    expect(r.results[0]).toMatchObject({ ok: false, reason: "connection refused" });
    await expect(runSmokeTests({ baseUrl: "http://10.0.0.12:3001", tests: [] })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
