"use server";

import { z } from "zod";
import { audited, verbAudited } from "@/lib/actions/audited";
import { action } from "@/lib/actions/safe-action";
import { ABORT_WAIT_MS, abortDeployment } from "@/lib/deploy/abort";
import { getEngineContext } from "@/lib/deploy/engine";
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

export const promoteAction = continuing(
  "deployment.promote",
  promoteDeployment,
  (dep) => `Promoted ${dep.version}: nginx is switching ${dep.service} to ${dep.toSlot}.`,
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
