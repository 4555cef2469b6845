"use server";

import { z } from "zod";
import { audited, verbAudited } from "@/lib/actions/audited";
import { action } from "@/lib/actions/safe-action";
import { ABORT_WAIT_MS, abortDeployment } from "@/lib/deploy/abort";
import { getEngineContext } from "@/lib/deploy/engine";
import { advanceSplit } from "@/lib/deploy/advance-split";
import { promoteDeployment } from "@/lib/deploy/promote";
import { retryDeployment } from "@/lib/deploy/retry";
import { retrySwitch } from "@/lib/deploy/retry-switch";
import { getDeployment } from "@/lib/deploy/store";

const byId = z.object({ id: z.string().min(1).max(64) });

const step = (action: string, id: string) => ({ action, target: `deployment:${id}` });

/** A verb that continues the deployment's pipeline (promote, retry the switch), audited by the verb itself. */
const continuing = (
  name: string,
  verb: typeof promoteDeployment,
  said: (dep: ReturnType<typeof getDeployment>) => string,
) =>
  action(
    "release_manager",
    byId,
    ({ id }, { user }) =>
      verbAudited(user, step(name, id), (actor) => {
        const ctx = getEngineContext();
        verb(ctx, id, user.username, actor);
        return { message: said(getDeployment(ctx.db, id)) };
      }),
    name,
  );

export const promoteAction = continuing("deployment.promote", promoteDeployment, (dep) =>
  dep.phase === "split"
    ? `Promoted ${dep.version}: all of ${dep.service}'s traffic goes to ${dep.toSlot}, then the bake window.`
    : `Promoted ${dep.version}: switching ${dep.service} to ${dep.toSlot}.`,
);

/** Weighted steps: ends the step being judged, so the next share follows. */
export const continueStepAction = continuing(
  "deployment.advance",
  (ctx, id, by, actor) => (advanceSplit(ctx, id, { how: "continue", by }, actor), { pipeline: Promise.resolve() }),
  (dep) => `Continued ${dep.version} past the ${dep.splitPercent ?? "?"} % step.`,
);

export const abortAction = action(
  "release_manager",
  byId,
  ({ id }, { user }) =>
    verbAudited(user, step("deployment.abort", id), async (actor) => {
      const { finished } = await abortDeployment(getEngineContext(), id, user.username, {
        actor,
        waitMs: ABORT_WAIT_MS,
      });
      const dep = getDeployment(getEngineContext().db, id);
      if (dep.status === "rolled_back") return { message: `Aborted: all traffic is back on ${dep.fromSlot}.` };
      return {
        message: finished
          ? "Aborted: the target was removed; the live colour was never touched."
          : "Abort requested: the target is being stopped.",
      };
    }),
  "deployment.abort",
);

export const retryAction = action(
  "release_manager",
  byId,
  ({ id }, { user }) =>
    audited(
      user,
      step("deployment.retry", id),
      async () => {
        const result = await retryDeployment(getEngineContext(), id, user.username);
        if (result.noop) return { deploymentId: null, message: result.message };
        return { deploymentId: result.deploymentId, message: `Retrying as a new deployment to ${result.toSlot}.` };
      },
      (r) => ({ reason: r.message, details: { newDeployment: r.deploymentId } }),
    ),
  "deployment.retry",
);

export const retrySwitchAction = continuing(
  "deployment.retry_switch",
  retrySwitch,
  (dep) => `Retrying the switch: checking ${dep.version} on ${dep.toSlot} again, then switching.`,
);
