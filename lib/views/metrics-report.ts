import type { Db } from "@/lib/db/client";
import type { Deployment, DeploymentStep } from "@/lib/db/schema";
import { getDeployment, listSteps } from "@/lib/deploy/store";
import { FULL_RESOLUTION_SECONDS } from "@/lib/metrics/compact-metrics";
import { readRollups } from "@/lib/metrics/rollup-store";
import {
  successReport,
  type SmokeOutcome,
  type SuccessReport,
  type SuccessReportInput,
} from "@/lib/metrics/success-report";
import { readAttachments } from "@/lib/release/attachments";
import { successReportRows, type ReportRow } from "./metrics-report-rows";

export type DeploymentReport = {
  deployment: Pick<
    Deployment,
    | "id"
    | "service"
    | "version"
    | "image"
    | "fromVersion"
    | "toSlot"
    | "status"
    | "requestedBy"
    | "promotedBy"
    | "rollbackReason"
    | "createdAt"
    | "finishedAt"
    | "switchedAt"
  >;
  report: SuccessReport;
  rows: ReportRow[];
  /** Why a figure may be incomplete (still running, metrics already compacted). */
  notes: string[];
  generatedAt: number;
};

const sec = (ms: number | null | undefined) => (ms == null ? null : ms / 1000);

function smokeOutcomes(step: DeploymentStep | undefined): SmokeOutcome[] {
  const results = (step?.detail as { results?: unknown } | null | undefined)?.results;
  if (!Array.isArray(results)) return [];
  return results.map((r: { name?: unknown; ok?: unknown }) => ({ name: String(r.name ?? ""), passed: r.ok === true }));
}

/** The success-report input of a deployment from its record and its steps (times in epoch seconds). */
export function reportInput(d: Deployment, steps: DeploymentStep[], now: number): Omit<SuccessReportInput, "rollups"> {
  const last = (phase: DeploymentStep["phase"]) => steps.filter((s) => s.phase === phase).at(-1);
  const health = last("health");
  const switchStep = last("switch");
  const verify = last("verify");
  return {
    startedAt: d.createdAt / 1000,
    finishedAt: (d.finishedAt ?? now) / 1000,
    targetStartedAt: sec(last("start_target")?.startedAt),
    healthyAt: health?.status === "passed" ? sec(health.endedAt) : null,
    switchStartedAt: d.switchedAt === null && !switchStep ? null : sec(switchStep?.startedAt ?? d.switchedAt),
    switchEndedAt:
      d.switchedAt === null && !switchStep ? null : sec(verify?.endedAt ?? switchStep?.endedAt ?? d.switchedAt),
    targetSlot: d.toSlot,
    smoke: smokeOutcomes(last("smoke")),
  };
}

/** The success report of one deployment, computed from what was measured. */
export function deploymentReport(db: Db, id: string, now: number = Date.now()): DeploymentReport {
  const d = getDeployment(db, id);
  const input = reportInput(d, listSteps(db, id), now);
  const rollups = readRollups(db, {
    service: d.service,
    from: Math.floor(input.startedAt),
    to: Math.floor(input.finishedAt) + 1,
  });
  const report = successReport({ ...input, rollups });
  const notes: string[] = [];
  if (d.finishedAt === null) notes.push("The deployment is still running: figures cover it up to now.");
  if (now / 1000 - input.startedAt > FULL_RESOLUTION_SECONDS && rollups.length === 0)
    notes.push(
      "Per-second metrics of this deployment were already compacted (kept 72 h): traffic figures are missing.",
    );
  if (d.status === "rolled_back") notes.push(`Rolled back${d.rollbackReason ? `: ${d.rollbackReason}` : ""}.`);
  const {
    service,
    version,
    image,
    fromVersion,
    toSlot,
    status,
    requestedBy,
    promotedBy,
    rollbackReason,
    createdAt,
    finishedAt,
    switchedAt,
  } = d;
  return {
    deployment: {
      id: d.id,
      service,
      version,
      image,
      fromVersion,
      toSlot,
      status,
      requestedBy,
      promotedBy,
      rollbackReason,
      createdAt,
      finishedAt,
      switchedAt,
    },
    report,
    rows: successReportRows(report, {
      switched: input.switchStartedAt !== null,
      tests: readAttachments(db, id)?.testSummary ?? null,
    }),
    notes,
    generatedAt: now,
  };
}
