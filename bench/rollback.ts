/**
 * Rollback speed: deploy 2.0.0 to green with auto-promote, then roll back to blue 1.9.0; repeated. Measures from the
 * rollbackDeployment call to traffic verified back on blue through nginx (the step's trafficBackMs, plus the call's
 * own start), and the whole call including nginx's drain and stopping green. Target < 1000 ms; the seed plans 2-5 min.
 */
import { rollbackDeployment } from "@/lib/deploy/rollback";
import { listSteps } from "@/lib/deploy/store";
import { deploy, lbVersion, openBenchStack, resetToBlue } from "./support/bench-stack";
import { median, ms, percentile, printTable } from "./support/stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 1000;
const TARGET_P95_MS = 300;

export default async function rollback(): Promise<void> {
  const stack = await openBenchStack("gl-bench-rollback", 48010);
  const rows: Array<{ toStep: number; trafficBack: number; call: number }> = [];
  try {
    await resetToBlue(stack);
    for (let i = 0; i < RUNS; i++) {
      const dep = await deploy(stack, "privatetrade:2.0.0");
      if (dep.status !== "succeeded" || dep.toSlot !== "green")
        throw new Error(`deploy ${i + 1} ended ${dep.status}: ${dep.error ?? ""}`);
      const t0 = Date.now();
      const p0 = performance.now();
      const done = await rollbackDeployment(stack.ctx, { deploymentId: dep.id, reason: "bench", by: "bench" });
      const call = performance.now() - p0;
      if (done.status !== "rolled_back") throw new Error(`rollback ${i + 1} ended ${done.status}`);
      const step = listSteps(stack.ctx.db, dep.id).find((s) => s.phase === "rollback");
      const trafficBackMs = (step?.detail as { trafficBackMs?: number } | null)?.trafficBackMs;
      if (!step || trafficBackMs === undefined) throw new Error("the rollback step has no trafficBackMs");
      // From the call to traffic verified: the time before the step started (checks, lease) plus trafficBackMs.
      rows.push({ toStep: step.startedAt - t0, trafficBack: step.startedAt - t0 + trafficBackMs, call });
      const served = await lbVersion(stack.lbUrl);
      if (served.version !== "1.9.0") throw new Error(`after rollback ${i + 1} nginx serves ${served.version}`);
      console.error(
        `[rollback] run ${i + 1}/${RUNS}: traffic back ${ms(rows.at(-1)!.trafficBack)}, whole call ${ms(call)}`,
      );
    }
  } finally {
    await stack.cleanup();
  }
  const col = (k: keyof (typeof rows)[number]) => rows.map((r) => r[k]);
  printTable(
    ["rollback (" + RUNS + " runs)", "median", "p95", "min", "max"],
    (
      [
        ["call -> step started", "toStep"],
        ["call -> traffic verified on blue", "trafficBack"],
        ["whole call (drain, stop green)", "call"],
      ] as const
    ).map(([label, k]) => [
      label,
      ms(median(col(k))),
      ms(percentile(col(k), 95)),
      ms(Math.min(...col(k))),
      ms(Math.max(...col(k))),
    ]),
  );
  const m = Math.round(median(col("trafficBack")));
  const p95 = Math.round(percentile(col("trafficBack"), 95));
  console.log(
    `target median < ${TARGET_MS} ms: ${m < TARGET_MS ? "met" : "missed"}; target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? "met" : "missed"}`,
  );
  console.log(`rollback_ms=${m} rollback_p95_ms=${p95}`);
}
