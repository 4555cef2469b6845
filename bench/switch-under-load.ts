/**
 * Switches under load: deploy 2.0.0 with auto-promote, then roll back, at least ten times and for at least a minute,
 * while three kinds of client, each in its own process, send through nginx at a steady ~200 requests/s in all:
 * Debian's `hey` (Go's keep-alive client) and the Node clients of scripts/stack/load.ts (keep-alive, and a new
 * connection per request, GET and POST). Every request must succeed; a request re-sent once because a reused
 * keep-alive connection closed before answering is counted in its own column (browsers and hey retry those).
 */
import fs from "node:fs";
import path from "node:path";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import type { LoadOptions } from "@/scripts/stack/load";
import { deploy, lbVersion, openBenchStack, resetToBlue } from "./support/bench-stack";
import { heyLoad, nodeLoad, type Counts } from "./support/external-load";
import { median, ms, printTable } from "./support/stats";

const CYCLES = Number(process.env.BENCH_CYCLES ?? 10);
const MIN_LOAD_S = Number(process.env.BENCH_MIN_LOAD_S ?? 60);
const MIN_REQUESTS = 10_000;
const CLIENTS_PER_KIND = 4;
const NODE_RPS_PER_CLIENT = 13;
const HEY_RPS_PER_WORKER = 25;

export default async function switchUnderLoad(): Promise<void> {
  const stack = await openBenchStack("gl-bench-switch", 48020);
  let results: Counts[] = [];
  let loadSeconds = 0;
  let switches = 0;
  const switchMs: number[] = [];
  let errorLog = "";
  const preSwitchFailures: string[] = [];
  try {
    await resetToBlue(stack);
    const common: LoadOptions = {
      url: stack.lbUrl,
      keepAliveClients: 0,
      newConnectionClients: 0,
      maxRequests: 200_000,
      maxMs: 600_000,
      requestsPerSecond: NODE_RPS_PER_CLIENT,
      postEvery: 4,
      getPath: "/api/config",
      postPath: "/api/backtests",
    };
    const clients = [
      nodeLoad({ ...common, keepAliveClients: CLIENTS_PER_KIND }),
      nodeLoad({ ...common, newConnectionClients: CLIENTS_PER_KIND }),
      heyLoad(`${stack.lbUrl}/api/config`, CLIENTS_PER_KIND, HEY_RPS_PER_WORKER, 600),
    ];
    const loadStarted = performance.now();
    try {
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0, attempts = 0; i < CYCLES || (performance.now() - loadStarted) / 1000 < MIN_LOAD_S; attempts++) {
        const t = performance.now();
        const dep = await deploy(stack, "privatetrade:2.0.0");
        // A check failing before the switch (a smoke test over its latency budget on a loaded machine) moves no
        // traffic: it is counted, printed in the last line, and the cycle retried, a bounded number of times.
        if (dep.status === "failed" && dep.switchedAt === null && preSwitchFailures.length < CYCLES) {
          preSwitchFailures.push(dep.error ?? "?");
          console.error(`[switch-under-load] deploy failed before the switch: ${dep.error ?? ""}`);
          continue;
        }
        if (dep.status !== "succeeded") throw new Error(`deploy ${i + 1} ended ${dep.status}: ${dep.error ?? ""}`);
        i++;
        switches++;
        await new Promise((r) => setTimeout(r, 500));
        const back = await rollbackDeployment(stack.ctx, { deploymentId: dep.id, reason: "bench", by: "bench" });
        if (back.status !== "rolled_back") throw new Error(`rollback ${i + 1} ended ${back.status}`);
        switches++;
        switchMs.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 500));
        console.error(`[switch-under-load] cycle ${i} (attempt ${attempts + 1}) in ${ms(switchMs.at(-1)!)}`);
      }
      const served = await lbVersion(stack.lbUrl);
      if (served.version !== "1.9.0") throw new Error(`after the cycles nginx serves ${served.version}`);
    } finally {
      results = await Promise.all(clients.map((c) => c.stop()));
      loadSeconds = (performance.now() - loadStarted) / 1000;
    }
    const log = path.join(stack.root, "nginx", "error.log");
    errorLog = fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .split("\n")
          .filter((l) => /\[(error|crit|alert|emerg|warn)\]/.test(l))
          .slice(-20)
          .join("\n")
      : "";
  } finally {
    await stack.cleanup();
  }
  const [ka, nc, hey] = results as [Counts, Counts, Counts];
  const row = (name: string, r: Counts) => [
    name,
    String(r.requests),
    String(r.ok),
    String(r.non2xx),
    String(r.connectionErrors),
    String(r.retriedStale),
    Object.entries(r.byStatus)
      .map(([s, n]) => `${s}:${n}`)
      .join(" "),
  ];
  const total: Counts = { requests: 0, ok: 0, non2xx: 0, connectionErrors: 0, retriedStale: 0, byStatus: {} };
  for (const r of [ka, nc, hey]) {
    for (const k of ["requests", "ok", "non2xx", "connectionErrors", "retriedStale"] as const) total[k] += r[k];
    for (const [s, n] of Object.entries(r.byStatus)) total.byStatus[s] = (total.byStatus[s] ?? 0) + n;
  }
  const rate = total.requests / loadSeconds;
  console.log(
    `${switches} switches (${switchMs.length} deploy + rollback cycles, median cycle ${ms(median(switchMs))}) under GET+POST load through nginx,` +
      ` ${total.requests} requests in ${loadSeconds.toFixed(1)} s (${rate.toFixed(0)} req/s)`,
  );
  printTable(
    ["clients (own process each)", "requests", "ok", "non-2xx", "conn errors", "stale retried", "statuses"],
    [
      row(`node keep-alive x${CLIENTS_PER_KIND}`, ka),
      row(`node new connection x${CLIENTS_PER_KIND}`, nc),
      row(`hey (Go, keep-alive) x${CLIENTS_PER_KIND}`, hey),
      row("total", total),
    ],
  );
  console.log(
    "hey re-sends a stale keep-alive request inside Go's client without reporting it: its retries are not counted.",
  );
  if (preSwitchFailures.length)
    console.log(
      `\ndeployments stopped by a check before the switch (no traffic moved): ${preSwitchFailures.length}\n  ${preSwitchFailures.join("\n  ")}`,
    );
  if (errorLog) console.log(`\nnginx error log (errors and warnings, last 20):\n${errorLog}`);
  const failed = total.non2xx + total.connectionErrors;
  console.log(
    `target failed=0 at >= ${MIN_REQUESTS} requests: ${failed === 0 && total.requests >= MIN_REQUESTS ? "met" : "missed"}`,
  );
  console.log(
    `requests=${total.requests} failed=${failed} switches=${switches} prechecks_failed=${preSwitchFailures.length}`,
  );
}
