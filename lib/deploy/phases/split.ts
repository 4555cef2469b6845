import { otherSlot, type PromotionStep } from "@/lib/config/schema";
import { failpoint } from "@/lib/failpoint";
import { trafficDriver, TrafficRefusedError } from "@/lib/traffic";
import type { ApplyResult } from "@/lib/traffic/driver";
import { PhaseFailure, type PhaseResult, type PhaseRun } from "../context";
import type { SplitControl } from "../split-control";
import { updateDeployment } from "../store";
import type { Verdict, WatchEvaluator } from "../watch-evaluator";
import { judge } from "./watch";

/**
 * Sets the load balancer to send `percent` of new requests to the target. The share is recorded first, so after a
 * crash recovery knows a split may be live; a refusal leaves the split that was (nothing moved).
 */
export async function setSplit(run: PhaseRun, percent: number): Promise<ApplyResult> {
  const { deployment } = run;
  updateDeployment(run.ctx.db, deployment.id, { splitPercent: percent });
  const result = await trafficDriver(run.ctx.config, run.service).applySplit({
    to: deployment.toSlot,
    percent,
    version: deployment.version,
    deploymentId: deployment.id,
  });
  failpoint(`split:applied-${percent}`);
  return result;
}

const figures = (v: Verdict | null, next: string, old: string) => {
  const c = v?.colours;
  if (!c) return "";
  const one = (name: string, f: { requests: number; errorRatePercent: number | null }) =>
    `${name} ${f.errorRatePercent ?? "n/a"} % errors over ${f.requests} requests`;
  return `; last window: ${one(next, c.new)}, ${one(old, c.old)}`;
};

/**
 * One step of the plan below 100 %: its share is set (the switch set the first one), then the target's own traffic
 * is judged for the step's pause, by the thresholds and against the old colour over the same windows. A breach
 * throws (the pipeline rolls back: 100 % to the old colour); a person's continue or promote ends the step early.
 */
export async function splitStep(
  run: PhaseRun,
  plan: { step: PromotionStep; index: number; evaluator: WatchEvaluator; control: SplitControl },
): Promise<PhaseResult> {
  const { deployment } = run;
  const { step, index, control } = plan;
  const old = otherSlot(deployment.toSlot);
  let applied: ApplyResult | null = null;
  if (index > 0) {
    try {
      applied = await setSplit(run, step.percent);
    } catch (error) {
      // Traffic is already split: a refused change is a failure after the switch, and rolls back.
      if (error instanceof TrafficRefusedError)
        throw new PhaseFailure(`${error.message} (at the ${step.percent} % step)`, {
          kind: error.kind,
          percent: step.percent,
        });
      throw error;
    }
  }
  control.nextStep();
  const started = Date.now();
  let judged;
  try {
    judged = await judge(run, plan.evaluator, {
      durationMs: step.pause === "manual" ? null : step.pause * 1000,
      until: control.until,
      compareWith: old,
    });
  } catch (error) {
    if (error instanceof PhaseFailure)
      throw new PhaseFailure(`${error.message} at the ${step.percent} % step`, {
        ...(error.detail as object),
        percent: step.percent,
        verdict: "breach",
      });
    throw error;
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const asked = control.until.aborted ? (control.until.reason as { how: string; by: string }) : null;
  const verdict = asked
    ? asked.how === "promote"
      ? "promoted"
      : "continued"
    : judged.evaluations > 0 && judged.inconclusive === judged.evaluations
      ? "inconclusive"
      : "clean";
  const said = asked
    ? `${asked.how === "promote" ? "promoted" : "continued"} by ${asked.by} after ${seconds} s`
    : `${seconds} s`;
  return {
    status: verdict === "inconclusive" ? "warning" : "passed",
    summary: `${step.percent} % to ${deployment.toSlot}, judged ${said}: ${verdict === "inconclusive" ? "metrics inconclusive (too little traffic)" : "no breach"} (${judged.evaluations} evaluations)${figures(judged.last, deployment.toSlot, old)}`,
    detail: {
      percent: step.percent,
      pause: step.pause,
      verdict,
      evaluations: judged.evaluations,
      inconclusive: judged.inconclusive,
      colours: judged.last?.colours,
      ...(applied && { applied: applied.summary }),
    },
  };
}

/** The plan's last step: all traffic to the target, verified through the load balancer as a switch is. */
export async function splitComplete(run: PhaseRun, promotedBy: string | null): Promise<PhaseResult> {
  const { deployment, service } = run;
  const driver = trafficDriver(run.ctx.config, service);
  let applied: ApplyResult;
  try {
    applied = await setSplit(run, 100);
  } catch (error) {
    if (error instanceof TrafficRefusedError)
      throw new PhaseFailure(`${error.message} (at the 100 % step)`, { kind: error.kind, percent: 100 });
    throw error;
  }
  const verified = await driver.verify(deployment.toSlot, deployment.version);
  if (!verified.ok)
    throw new PhaseFailure(
      `Traffic did not all reach ${deployment.toSlot} through ${driver.label} at the 100 % step (last answer: ${verified.lastStatus ?? "none"}, upstream ${verified.lastUpstream ?? "?"})`,
      { ...verified, percent: 100 },
    );
  return {
    status: applied.confirmed ? "passed" : "warning",
    summary: `100 % to ${deployment.toSlot}${promotedBy ? ` (promoted by ${promotedBy})` : ""}: ${applied.summary}; the bake window follows`,
    detail: { percent: 100, verdict: promotedBy ? "promoted" : "clean", applied: applied.detail },
  };
}
