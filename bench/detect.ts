/**
 * Detection: a release answering half its requests with 500 goes live (auto-promote; smoke tests off so it passes
 * the pre-switch checks) under >= 10 requests/s through nginx. Measured from the fault's onset (the switch verified:
 * the faulty colour takes traffic) to traffic verified back on blue by the automatic rollback. Default thresholds.
 * Target <= 15 s.
 */
import { listSteps } from "@/lib/deploy/store";
import { liveSlotsOf, metricsEvaluator } from "@/lib/deploy/metrics-evaluator";
import { startCollectors, type Collectors } from "@/lib/metrics/start-collectors";
import { runLoad, type LoadResult } from "@/scripts/stack/load";
import { deploy, lbVersion, openBenchStack, resetToBlue } from "./support/bench-stack";
import { median, printTable } from "./support/stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_S = 15;
const s = (v: number) => `${(v / 1000).toFixed(1)} s`;

export default async function detect(): Promise<void> {
  const stack = await openBenchStack("gl-bench-detect", 48030);
  let collectors: Collectors | undefined;
  const rows: Array<{ detect: number; breachToRollback: number; requests: number; trigger: string }> = [];
  try {
    await resetToBlue(stack);
    collectors = startCollectors({ db: stack.ctx.db, config: stack.config, getLiveSlots: liveSlotsOf(stack.config), intervals: { dockerMs: 1000 } });
    stack.ctx.watchEvaluator = metricsEvaluator;
    const smoke = stack.service.smoke;
    for (let i = 0; i < RUNS; i++) {
      stack.service.container.env.FAULT_ERROR_RATE = "0.5";
      stack.service.smoke = [];
      stack.service.watch.bakeSeconds = 60;
      const stop = new AbortController();
      const load = runLoad(
        { url: stack.lbUrl, keepAliveClients: 2, newConnectionClients: 0, requestsPerSecond: 10, maxRequests: 5000, maxMs: 120_000, postEvery: 5 },
        stop.signal,
      );
      let traffic: LoadResult;
      let dep;
      try {
        dep = await deploy(stack, "privatetrade:2.0.0");
      } finally {
        stop.abort();
        traffic = await load;
        delete stack.service.container.env.FAULT_ERROR_RATE;
        stack.service.smoke = smoke;
        stack.service.watch.bakeSeconds = 0;
      }
      if (dep.status !== "rolled_back") throw new Error(`run ${i + 1}: the faulty release ended ${dep.status} (${dep.error ?? ""})`);
      const steps = listSteps(stack.ctx.db, dep.id);
      const verify = steps.find((st) => st.phase === "verify");
      const watch = steps.find((st) => st.phase === "watch");
      const back = steps.find((st) => st.phase === "rollback");
      const trafficBackMs = (back?.detail as { trafficBackMs?: number } | null)?.trafficBackMs;
      if (!verify?.endedAt || !back || trafficBackMs === undefined || !watch?.endedAt) throw new Error(`run ${i + 1}: steps incomplete`);
      const onset = verify.endedAt;
      const end = back.startedAt + trafficBackMs;
      const trigger = (watch.detail as { trigger?: { metric: string } } | null)?.trigger?.metric ?? "?";
      rows.push({ detect: end - onset, breachToRollback: end - watch.endedAt, requests: traffic.requests, trigger });
      const served = await lbVersion(stack.lbUrl);
      if (served.version !== "1.9.0") throw new Error(`after run ${i + 1} nginx serves ${served.version}`);
      console.error(`[detect] run ${i + 1}/${RUNS}: ${s(end - onset)} (trigger ${trigger})`);
    }
  } finally {
    await collectors?.stop();
    await stack.cleanup();
  }
  const t = stack.service.thresholds;
  console.log(
    `thresholds: error rate > ${t.errorRatePercent}% over ${t.windowSeconds} s windows every ${t.evaluateEverySeconds} s, ${t.consecutiveBreaches} consecutive breaches, min ${t.minRequests} requests`,
  );
  printTable(
    ["run", "onset -> traffic back on blue", "last breach -> back", "trigger", "requests sent"],
    rows.map((r, i) => [String(i + 1), s(r.detect), s(r.breachToRollback), r.trigger, String(r.requests)]),
  );
  const m = median(rows.map((r) => r.detect));
  console.log(`median ${s(m)}; target <= ${TARGET_S} s: ${m <= TARGET_S * 1000 ? "met" : "missed"}`);
  console.log(`detect_s=${(m / 1000).toFixed(1)}`);
}
