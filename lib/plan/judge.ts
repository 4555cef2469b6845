import type { CheckVerdict, CheckpointStatus } from "@/lib/db/schema";
import { percentile } from "@/lib/metrics/histogram";
import { mergeAll, MIB } from "@/lib/metrics/summarize";
import type { Rollup } from "@/lib/metrics/rollup";
import type { PlanItem } from "./items";
import type { CheckName, PlanLimits } from "./schema";

/** What a plan item is judged on; each part null when it could not be read, with `why` in `unavailable`. */
export type JudgeInputs = {
  /** Rollups of the judged colour over the item's window. */
  rollups: Rollup[];
  /** ERROR lines in the colour's log over the window. */
  errorLogLines: number | null;
  /** One probe of the health path through the load balancer. */
  health: { ok: boolean; detail: string } | null;
  unavailable?: Partial<Record<"errorLogLines" | "health", string>>;
};

export type Judgement = { status: CheckpointStatus; summary: string; checks: CheckVerdict[] };

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function judgeCheck(check: CheckName, limits: PlanLimits, input: JudgeInputs): CheckVerdict {
  const target = mergeAll(input.rollups);
  const fewRequests = target.requests < limits.minRequests;
  const fewText = `${target.requests} request(s) in the window, ${limits.minRequests} needed`;
  const under = (value: number, limit: number, unit: string, inclusive = false): CheckVerdict => ({
    check,
    status: (inclusive ? value <= limit : value < limit) ? "passed" : "failed",
    value: round(value),
    limit,
    unit,
  });
  const inconclusive = (unit: string, why: string, limit: number | null = null): CheckVerdict => ({
    check,
    status: "inconclusive",
    value: null,
    limit,
    unit,
    why,
  });
  switch (check) {
    case "error_rate":
      return fewRequests
        ? inconclusive("%", fewText, limits.errorRatePercent)
        : under((target.errors5xx / target.requests) * 100, limits.errorRatePercent, "%");
    case "p95":
      return fewRequests
        ? inconclusive("ms", fewText, limits.p95Ms)
        : under(percentile(target.hist, 0.95) ?? 0, limits.p95Ms, "ms");
    case "cpu":
      return target.samples === 0
        ? inconclusive("%", "no docker stats sample in the window", limits.cpuPercent)
        : under(target.cpuPctSum / target.samples, limits.cpuPercent, "%");
    case "memory": {
      const peak = input.rollups.reduce<number | null>(
        (max, r) => (r.memBytesMax === null ? max : Math.max(max ?? 0, r.memBytesMax)),
        null,
      );
      return peak === null
        ? inconclusive("MB", "no memory sample in the window", limits.memoryMb)
        : under(peak / MIB, limits.memoryMb, "MB");
    }
    case "error_logs":
      return input.errorLogLines === null
        ? inconclusive("lines", input.unavailable?.errorLogLines ?? "the log could not be read", limits.errorLogLines)
        : under(input.errorLogLines, limits.errorLogLines, "lines", true);
    case "health":
      if (input.health === null)
        return inconclusive("", input.unavailable?.health ?? "the load balancer could not be probed");
      return input.health.ok
        ? { check, status: "passed", value: null, limit: null, unit: "" }
        : { check, status: "failed", value: null, limit: null, unit: "", why: input.health.detail };
  }
}

const LABELS: Record<CheckName, string> = {
  health: "health through the load balancer",
  error_rate: "error rate",
  p95: "p95",
  cpu: "CPU (mean)",
  memory: "memory (peak)",
  error_logs: "ERROR log lines",
};

export function describeCheck(v: CheckVerdict): string {
  const label = LABELS[v.check as CheckName] ?? v.check;
  if (v.status === "inconclusive") return `${label}: inconclusive (${v.why})`;
  if (v.check === "health") return `${label}: ${v.status === "passed" ? "200" : `failed (${v.why})`}`;
  const op = v.check === "error_logs" ? "<=" : "<";
  return `${label} ${v.value} ${v.unit} (limit ${op} ${v.limit} ${v.unit}): ${v.status}`;
}

/**
 * A plan item's verdict: failed when any check failed, inconclusive (with why) when none failed but one could not be
 * judged, passed otherwise. A window without the traffic to judge is never called a pass.
 */
export function judgeItem(item: PlanItem, limits: PlanLimits, input: JudgeInputs): Judgement {
  const checks = item.checks.map((c) => judgeCheck(c, limits, input));
  const status: CheckpointStatus = checks.some((c) => c.status === "failed")
    ? "failed"
    : checks.some((c) => c.status === "inconclusive")
      ? "inconclusive"
      : "passed";
  const worth = status === "passed" ? checks : checks.filter((c) => c.status === status);
  return { status, summary: `${item.name}: ${status}. ${worth.map(describeCheck).join("; ")}`, checks };
}
