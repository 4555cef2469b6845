import type { Slot } from "@/lib/config/schema";
import { percentile } from "./histogram";
import { mergeAll, MIB } from "./summarize";
import type { Rollup } from "./rollup";

export type SmokeOutcome = { name: string; passed: boolean };

export type SuccessReportInput = {
  /** Epoch seconds. */
  startedAt: number;
  finishedAt: number;
  /** When the target container was started and when it first passed its health check. */
  targetStartedAt?: number | null;
  healthyAt?: number | null;
  /** The traffic switch (write, test, reload, verify); null when the deployment never switched. */
  switchStartedAt: number | null;
  switchEndedAt: number | null;
  targetSlot: Slot;
  smoke: SmokeOutcome[];
  /** Per-second rollups of the service, every colour, covering the deployment. */
  rollups: Rollup[];
};

export type SuccessReport = {
  deploymentSeconds: number;
  /** Requests nginx saw fail (5xx, any colour) from the start to the end of the switch, and the seconds they fell in. */
  downtime: { failedRequests: number; seconds: number };
  timeToHealthySeconds: number | null;
  smoke: { passed: number; total: number; allPassed: boolean };
  /** Target colour, after the switch. */
  requestsAfterSwitch: number;
  errorRatePercent: number | null;
  avgMs: number | null;
  p95Ms: number | null;
  /** Highest memory sample of the target colour during the deployment, MiB. */
  peakMemoryMb: number | null;
  /** 5xx of any colour after the switch: what users felt. */
  userImpact: { errors5xxAfterSwitch: number };
};

/** The success report the release manager signs off, from the deployment's times and its rollups. */
export function successReport(input: SuccessReportInput): SuccessReport {
  const during = input.rollups.filter((r) => r.ts >= Math.floor(input.startedAt) && r.ts <= input.finishedAt);
  const switchFrom = input.switchStartedAt === null ? null : Math.floor(input.switchStartedAt);
  const switchTo = input.switchEndedAt === null ? null : Math.floor(input.switchEndedAt);
  const inSwitch =
    switchFrom === null || switchTo === null ? [] : during.filter((r) => r.ts >= switchFrom && r.ts <= switchTo);
  const afterSwitch = switchTo === null ? [] : during.filter((r) => r.ts > switchTo);
  const target = mergeAll(afterSwitch.filter((r) => r.slot === input.targetSlot));
  const targetMem = during
    .filter((r) => r.slot === input.targetSlot && r.memBytesMax !== null)
    .map((r) => r.memBytesMax!);
  const healthyFrom = input.targetStartedAt ?? input.startedAt;
  const passed = input.smoke.filter((s) => s.passed).length;
  return {
    deploymentSeconds: input.finishedAt - input.startedAt,
    downtime: {
      failedRequests: inSwitch.reduce((n, r) => n + r.errors5xx, 0),
      seconds: new Set(inSwitch.filter((r) => r.errors5xx > 0).map((r) => r.ts)).size,
    },
    timeToHealthySeconds: input.healthyAt == null ? null : input.healthyAt - healthyFrom,
    smoke: { passed, total: input.smoke.length, allPassed: input.smoke.length > 0 && passed === input.smoke.length },
    requestsAfterSwitch: target.requests,
    errorRatePercent: target.requests > 0 ? (target.errors5xx / target.requests) * 100 : null,
    avgMs: target.requests > 0 ? target.latencySumMs / target.requests : null,
    p95Ms: target.requests > 0 ? percentile(target.hist, 0.95) : null,
    peakMemoryMb: targetMem.length > 0 ? Math.max(...targetMem) / MIB : null,
    userImpact: { errors5xxAfterSwitch: afterSwitch.reduce((n, r) => n + r.errors5xx, 0) },
  };
}
