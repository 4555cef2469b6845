import { logger } from "@/lib/log";
import type { Phase } from "@/lib/db/schema";
import type { PromotionStep, ServiceConfig } from "@/lib/config/schema";
import { deployBus } from "./bus";
import {
  PhaseFailure,
  serviceFor,
  throwIfAborted,
  type EngineContext,
  type PhaseResult,
  type PhaseRun,
} from "./context";
import { failpoint } from "@/lib/failpoint";
import { readLiveState, type LiveState } from "./live-slot";
import { backup } from "./phases/backup";
import { health } from "./phases/health";
import { beginRehearsal, migrate, type Rehearsal } from "./phases/migrate";
import { preflight, type ImageReady } from "./phases/preflight";
import { pull } from "./phases/pull";
import { smoke } from "./phases/smoke";
import { startTarget } from "./phases/start-target";
import { switchTraffic } from "./phases/switch";
import { verify } from "./phases/verify";
import { splitComplete, splitStep } from "./phases/split";
import { watch } from "./phases/watch";
import { SplitControl, splitControls } from "./split-control";
import { watchVerdicts } from "./watch-evaluator";
import { runningPipelines } from "./running";
import { addEvent, endStep, getDeployment, startStep } from "./store";
import { enter } from "./lifecycle";
import type { AbortReason } from "./abort";
import { failBeforeSwitch, finishSucceeded, holdForRetry } from "./finish";
import { rollbackDeployment } from "./rollback";
import { supersedePending } from "@/lib/approvals/supersede";
import { scrub, scrubDetail } from "./secrets-of";

const log = logger("pipeline");

/** Where a pipeline starts: a new deployment, after a promote, after a retry of a failed switch, or a resumed watch. */
export type StartFrom = "start" | "switch" | "recheck" | "watch";

type PhaseFn = (run: PhaseRun, live: LiveState | null) => Promise<PhaseResult>;

/** Why a sibling branch was stopped: another branch of the same stage failed first. */
type StoppedBy = { stoppedBy: Phase };

const PRE_GATE: Array<[Phase, PhaseFn]> = [
  ["start_target", startTarget],
  ["migrate", migrate],
  ["health", health],
  ["smoke", smoke],
];

function phaseRun(ctx: EngineContext, id: string, signal: AbortSignal): PhaseRun {
  const deployment = getDeployment(ctx.db, id);
  const service = serviceFor(ctx, deployment);
  return {
    ctx,
    deployment,
    service,
    signal,
    log: (level, message) => addEvent(ctx.db, id, level, scrub(service, message)),
  };
}

async function step(
  ctx: EngineContext,
  id: string,
  phase: Phase,
  signal: AbortSignal,
  fn: PhaseFn,
  live: LiveState | null,
) {
  throwIfAborted(signal);
  const stepId = startStep(ctx.db, id, phase);
  failpoint(`${phase}:started`);
  const run = phaseRun(ctx, id, signal);
  const service = run.service;
  // A phase stopped because the phase beside it failed did not fail itself: it is recorded as skipped, with why.
  const stoppedBy = () => (signal.aborted ? (signal.reason as Partial<StoppedBy> | undefined)?.stoppedBy : undefined);
  let outcome: { result: PhaseResult } | { error: unknown };
  try {
    outcome = { result: await fn(run, live) };
  } catch (error) {
    outcome = { error };
  }
  const sibling = stoppedBy();
  if (sibling) {
    // Whatever it did before it could stop (a backup it finished) is said, not passed off as a passed phase.
    const finished = "result" in outcome ? ` It had finished: ${scrub(service, outcome.result.summary)}` : "";
    endStep(ctx.db, stepId, { status: "skipped", summary: `Stopped: ${sibling} failed.${finished}` });
    throw new PhaseFailure(`Stopped: ${sibling} failed.`);
  }
  if ("error" in outcome) {
    const { error } = outcome;
    const message = signal.aborted
      ? "Aborted by a release manager."
      : scrub(service, (error as Error).message ?? String(error));
    endStep(ctx.db, stepId, {
      status: "failed",
      summary: message,
      detail: error instanceof PhaseFailure ? scrubDetail(service, error.detail) : undefined,
    });
    throw new PhaseFailure(message, error instanceof PhaseFailure ? error.detail : undefined);
  }
  endStep(ctx.db, stepId, {
    status: outcome.result.status,
    summary: scrub(service, outcome.result.summary),
    detail: scrubDetail(service, outcome.result.detail),
  });
  failpoint(`${phase}:done`);
}

/** Resolves once a rehearsal (if one was begun) has removed its container and copy. */
async function cleanedUp(rehearsal: Promise<Rehearsal> | null): Promise<void> {
  await (
    await rehearsal
  )?.cleanup;
}

/**
 * The pull and, beside it, preflight; once preflight's checks of the host passed, the verified backup and the start
 * of the migration's rehearsal. None of those needs the new image except preflight's image checks, which wait for the
 * pull. The first failure stops the others (their steps say so) and is the deployment's reason once all have
 * settled, so no step is left running. Answers the rehearsal under way, for the migrate phase.
 */
async function pullBesidePreparation(
  ctx: EngineContext,
  id: string,
  signal: AbortSignal,
  live: LiveState | null,
): Promise<{ rehearsing: Promise<Rehearsal> | null }> {
  const stage = new AbortController();
  const forward = () => stage.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  let first: unknown = null;
  const branch = async (phase: Phase, fn: PhaseFn) => {
    try {
      await step(ctx, id, phase, stage.signal, fn, live);
    } catch (error) {
      if (first === null && !stage.signal.aborted) {
        first = error;
        stage.abort({ stoppedBy: phase } satisfies StoppedBy);
      }
      first ??= error;
    }
  };

  let pulled: (ready: true | string) => void = () => undefined;
  const imageReady: ImageReady = new Promise((resolve) => (pulled = resolve));
  let hostChecked: (passed: boolean) => void = () => undefined;
  const hostPassed = new Promise<boolean>((resolve) => (hostChecked = resolve));
  stage.signal.addEventListener(
    "abort",
    () => {
      pulled("the pull did not finish");
      hostChecked(false);
    },
    { once: true },
  );
  const pullThenSay: PhaseFn = (run) =>
    pull(run).then(
      (result) => (pulled(true), result),
      (error: unknown) => {
        pulled("the pull did not finish");
        throw error;
      },
    );
  let rehearsing = null as Promise<Rehearsal> | null;
  const backupThenRehearse: PhaseFn = async (run) => {
    const result = await backup(run);
    // The rehearsal needs only the verified backup: it runs while the image still downloads and the target starts.
    // It outlives this stage, so it listens to the deployment's own abort as well as to this stage's.
    rehearsing = beginRehearsal(phaseRun(ctx, id, AbortSignal.any([signal, stage.signal])), live);
    return result;
  };
  try {
    await Promise.all([
      branch("pull", pullThenSay),
      branch("preflight", (run) => preflight(run, live, imageReady, hostChecked)),
      hostPassed.then((passed) => (passed ? branch("backup", backupThenRehearse) : undefined)),
    ]);
  } finally {
    signal.removeEventListener("abort", forward);
  }
  if (first !== null) {
    // Never leave the rehearsal's copy or container behind a failed deployment.
    await cleanedUp(rehearsing);
    throw first;
  }
  return { rehearsing };
}

/**
 * Drives one deployment from `from` as far as it can go: to the promotion gate, to success, or into abort or rollback.
 * Every step's outcome is in SQLite before the next starts.
 */
export async function runPipeline(ctx: EngineContext, id: string, from: StartFrom = "start"): Promise<void> {
  const controller = new AbortController();
  runningPipelines().set(id, controller);
  const { signal } = controller;
  const held: { rehearsal: Promise<Rehearsal> | null } = { rehearsal: null };
  try {
    const first = getDeployment(ctx.db, id);
    const service = serviceFor(ctx, first);
    const live = first.fromSlot ? await readLiveState(ctx, service) : null;
    if (from === "start") {
      const { rehearsing } = await pullBesidePreparation(ctx, id, signal, live);
      held.rehearsal = rehearsing;
      for (const [phase, fn] of PRE_GATE)
        await step(ctx, id, phase, signal, phase === "migrate" ? (run) => migrate(run, live, rehearsing) : fn, live);
      // The rehearsal's container is removed while the target starts and is checked; it is gone before the gate,
      // or, with auto-promote, before the watch (its removal touches neither colour nor the load balancer).
      const dep = getDeployment(ctx.db, id);
      if (!dep.autoPromote) await cleanedUp(rehearsing);
      if (!dep.autoPromote) {
        const gated = enter(ctx, id, "awaiting_promotion", {
          patch: { gateReachedAt: Date.now() },
          step: { phase: "gate" },
          event: { level: "info", message: `Ready to promote: ${dep.version} on ${dep.toSlot} passed every check.` },
          notify: {
            kind: "ready_to_promote",
            message: `${dep.service} ${dep.version} is ready to promote on ${dep.toSlot}`,
          },
        });
        if (!gated) {
          const gate = startStep(ctx.db, id, "gate");
          endStep(ctx.db, gate, { status: "failed", summary: "the deployment changed state before the gate" });
        }
        return;
      }
      const gate = startStep(ctx.db, id, "gate");
      endStep(ctx.db, gate, { status: "skipped", summary: "auto-promote: no manual gate" });
    }
    if (from === "recheck")
      // The kept target waited for nginx to be fixed: it must still be healthy and pass its smoke tests.
      for (const [phase, fn] of PRE_GATE.filter(([p]) => p === "health" || p === "smoke"))
        await step(ctx, id, phase, signal, fn, live);
    if (from !== "watch") {
      await step(ctx, id, "switch", signal, switchTraffic, live);
      await step(ctx, id, "verify", signal, verify, live);
      const steps = service.promotion.steps;
      if (steps && first.fromSlot) await walkSteps(ctx, id, signal, steps, live);
    }
    await cleanedUp(held.rehearsal);
    await step(ctx, id, "watch", signal, (run) => watch(run, ctx.watchEvaluator), live);
    await finishSucceeded(ctx, id);
  } catch (error) {
    await cleanedUp(held.rehearsal);
    const dep = getDeployment(ctx.db, id);
    const reason = (error as Error).message;
    if (dep.status === "rolling_back" || dep.status === "rolled_back") return;
    if (dep.switchedAt === null) {
      // nginx's fault, not the release's: the checked target is kept for "Retry the switch".
      if (!signal.aborted && holdForRetry(ctx, id, reason)) return;
      const abortedBy = signal.aborted ? (signal.reason as Partial<AbortReason> | undefined)?.actor : undefined;
      await failBeforeSwitch(ctx, id, reason, signal.aborted ? "aborted" : "failed", abortedBy);
    } else {
      addEvent(ctx.db, id, "error", `After the switch: ${reason}. Rolling back automatically.`);
      const detail = error instanceof PhaseFailure ? (error.detail as { trigger?: unknown } | undefined) : undefined;
      if (detail?.trigger)
        ctx.notify?.({
          kind: "automatic_rollback",
          service: dep.service,
          deploymentId: id,
          message: reason,
          detail: { trigger: detail.trigger },
        });
      supersedePending(ctx.db, dep.service, `automatic rollback of ${id}: ${reason}`);
      await rollbackDeployment(ctx, { deploymentId: id, reason, by: "greenlight", automatic: true }).catch((e) =>
        giveUp(ctx, id, `${reason}; the automatic rollback was impossible: ${(e as Error).message}`),
      );
    }
  } finally {
    runningPipelines().delete(id);
    deployBus().emit("pipeline-idle", id);
  }
}

/**
 * A weighted promotion after the switch set its first share: each step below 100 % is judged for its pause (a
 * person may continue it early, or promote to skip the rest), then 100 % goes to the target and the bake window
 * follows. A breach at any step fails that step; the pipeline then rolls back (100 % to the old colour).
 */
async function walkSteps(
  ctx: EngineContext,
  id: string,
  signal: AbortSignal,
  steps: PromotionStep[],
  live: LiveState | null,
): Promise<void> {
  const control = new SplitControl();
  splitControls().set(id, control);
  const evaluator = ctx.watchEvaluator ?? watchVerdicts;
  try {
    for (const [index, planned] of steps.entries()) {
      if (planned.percent >= 100 || control.promotedBy) break;
      await step(ctx, id, "split", signal, (run) => splitStep(run, { step: planned, index, evaluator, control }), live);
    }
    await step(ctx, id, "split", signal, (run) => splitComplete(run, control.promotedBy), live);
  } finally {
    splitControls().delete(id);
  }
}

/**
 * Neither the release nor a rollback can be finished: the deployment ends as failed, still the serving record, and
 * its lock is released so people can act (deploy a fix, or the previous release as a new deployment).
 */
export function giveUp(ctx: EngineContext, id: string, reason: string): void {
  const dep = getDeployment(ctx.db, id);
  enter(ctx, id, "failed", {
    from: ["running", "rolling_back"],
    patch: { error: reason, finishedAt: Date.now() },
    event: { level: "error", message: reason },
    notify: { kind: "rollback_failed", message: `${dep.service} ${dep.version}: ${reason}` },
  });
}

/** Starts a pipeline without waiting for it; its errors end up in the deployment record, never unhandled. */
export function launchPipeline(ctx: EngineContext, id: string, from: StartFrom = "start"): Promise<void> {
  return runPipeline(ctx, id, from).catch((error) => {
    log.error({ err: error, deploymentId: id }, `pipeline ${id} crashed`);
  });
}
