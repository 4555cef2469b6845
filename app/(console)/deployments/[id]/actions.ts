"use server";

import { z } from "zod";
import { audited } from "@/lib/actions/audited";
import { action } from "@/lib/actions/safe-action";
import { abortDeployment } from "@/lib/deploy/abort";
import { getEngineContext } from "@/lib/deploy/engine";
import { promoteDeployment } from "@/lib/deploy/promote";
import { retryDeployment } from "@/lib/deploy/retry";
import { getDeployment } from "@/lib/deploy/store";

const byId = z.object({ id: z.string().min(1).max(64) });

/** How long an abort may take before the action answers "requested" and lets the page follow the rest. */
const ABORT_WAIT_MS = 1_500;

const step = (action: string, id: string) => ({ action, target: `deployment:${id}` });
const said = (r: { message: string }) => ({ reason: r.message });

export const promoteAction = action(
  "release_manager",
  byId,
  ({ id }, { user }) =>
    audited(
      user,
      step("deployment.promote", id),
      () => {
        const ctx = getEngineContext();
        promoteDeployment(ctx, id, user.username);
        const dep = getDeployment(ctx.db, id);
        return { message: `Promoted ${dep.version}: nginx is switching ${dep.service} to ${dep.toSlot}.` };
      },
      said,
    ),
  "deployment.promote",
);

export const abortAction = action(
  "release_manager",
  byId,
  ({ id }, { user }) =>
    audited(
      user,
      step("deployment.abort", id),
      async () => {
        const ctx = getEngineContext();
        const aborting = abortDeployment(ctx, id, user.username);
        const finished = await Promise.race([
          aborting.then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), ABORT_WAIT_MS)),
        ]);
        if (!finished) aborting.catch((error) => console.error(`[greenlight] abort of ${id} failed`, error));
        return {
          message: finished
            ? "Aborted: the target was removed; the live colour was never touched."
            : "Abort requested: the target is being stopped.",
        };
      },
      said,
    ),
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
