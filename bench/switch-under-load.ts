/**
 * Switches under load: deploy 2.0.0 with auto-promote, then roll back, ten times, while keep-alive and
 * new-connection clients send GET and POST through nginx. Every request must succeed (a request re-sent once
 * because a reused keep-alive connection closed before answering counts as OK: browsers retry those).
 */
import fs from "node:fs";
import path from "node:path";
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { runLoad, type LoadOptions, type LoadResult } from "@/scripts/stack/load";
import { deploy, lbVersion, openBenchStack, resetToBlue } from "./support/bench-stack";
import { median, ms, printTable } from "./support/stats";

const CYCLES = Number(process.env.BENCH_CYCLES ?? 10);
const CLIENTS_PER_KIND = 4;

export default async function switchUnderLoad(): Promise<void> {
  const stack = await openBenchStack("gl-bench-switch", 48020);
  let results: LoadResult[] = [];
  let switches = 0;
  const switchMs: number[] = [];
  let errorLog = "";
  const preSwitchFailures: string[] = [];
  try {
    await resetToBlue(stack);
    const stop = new AbortController();
    const common: LoadOptions = {
      url: stack.lbUrl,
      keepAliveClients: 0,
      newConnectionClients: 0,
      maxRequests: 100_000,
      maxMs: 120_000,
      requestsPerSecond: 30,
      postEvery: 4,
      getPath: "/api/config",
      postPath: "/api/backtests",
    };
    const load = Promise.all([
      runLoad({ ...common, keepAliveClients: CLIENTS_PER_KIND }, stop.signal),
      runLoad({ ...common, newConnectionClients: CLIENTS_PER_KIND }, stop.signal),
    ]);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0, attempts = 0; i < CYCLES; attempts++) {
        const t = performance.now();
        const dep = await deploy(stack, "privatetrade:2.0.0");
        // A check failing before the switch (a smoke test over its latency budget on a loaded machine) moves no
        // traffic: it is counted and the cycle retried, a bounded number of times.
        if (dep.status === "failed" && dep.switchedAt === null && attempts < CYCLES + 3) {
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
        console.error(`[switch-under-load] cycle ${i}/${CYCLES} in ${ms(switchMs.at(-1)!)}`);
      }
      const served = await lbVersion(stack.lbUrl);
      if (served.version !== "1.9.0") throw new Error(`after the cycles nginx serves ${served.version}`);
    } finally {
      stop.abort();
      results = await load;
    }
    const log = path.join(stack.root, "nginx", "error.log");
    errorLog = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter((l) => /\[(error|crit|alert|emerg|warn)\]/.test(l)).slice(-20).join("\n") : "";
  } finally {
    await stack.cleanup();
  }
  const [ka, nc] = results as [LoadResult, LoadResult];
  const row = (name: string, r: LoadResult) => [
    name,
    String(r.requests),
    String(r.ok),
    String(r.non2xx),
    String(r.connectionErrors),
    String(r.retriedStale),
    Object.entries(r.byStatus).map(([s, n]) => `${s}:${n}`).join(" "),
  ];
  const total: LoadResult = {
    requests: ka.requests + nc.requests,
    ok: ka.ok + nc.ok,
    non2xx: ka.non2xx + nc.non2xx,
    connectionErrors: ka.connectionErrors + nc.connectionErrors,
    retriedStale: ka.retriedStale + nc.retriedStale,
    byStatus: {},
    latenciesMs: [],
  };
  for (const r of [ka, nc]) for (const [s, n] of Object.entries(r.byStatus)) total.byStatus[s] = (total.byStatus[s] ?? 0) + n;
  console.log(`${switches} switches (${CYCLES} deploy + rollback cycles, median cycle ${ms(median(switchMs))}) under GET+POST load through nginx`);
  printTable(
    ["clients", "requests", "ok", "non-2xx", "conn errors", "stale retried", "statuses"],
    [row(`keep-alive x${CLIENTS_PER_KIND}`, ka), row(`new connection x${CLIENTS_PER_KIND}`, nc), row("total", total)],
  );
  if (preSwitchFailures.length) console.log(`\ndeployments stopped by a check before the switch (no traffic moved): ${preSwitchFailures.length}\n  ${preSwitchFailures.join("\n  ")}`);
  if (errorLog) console.log(`\nnginx error log (errors and warnings, last 20):\n${errorLog}`);
  console.log(`requests=${total.requests} failed=${total.non2xx + total.connectionErrors}`);
}
