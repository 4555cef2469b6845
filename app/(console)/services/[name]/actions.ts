"use server";

import { z } from "zod";
import { audited, requestOrigin, verbAudited } from "@/lib/actions/audited";
import { action } from "@/lib/actions/safe-action";
import { getEngineContext } from "@/lib/deploy/engine";
import { forceReleaseInput, forceReleaseLock } from "@/lib/deploy/force-release";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { restartLive } from "@/lib/incidents/restart-live";
import { releaseAttachmentFields } from "@/lib/release/attachments";

type StartDeploymentOutcome =
  { started: true; deploymentId: string; message: string } | { started: false; message: string };

const input = z.object({
  service: z.string().min(1),
  image: z.string().min(1, "pick an image tag"),
  autoPromote: z.boolean().default(false),
  ...releaseAttachmentFields,
});

/** Starts a deployment and returns at once; the pipeline runs in the background and the page follows it live. */
export const startDeploymentAction = action(
  "release_manager",
  input,
  (data, { user }): Promise<StartDeploymentOutcome> =>
    verbAudited(
      user,
      {
        action: "deployment.start",
        target: `service:${data.service}`,
        details: { service: data.service, image: data.image, autoPromote: data.autoPromote },
      },
      async (actor): Promise<StartDeploymentOutcome> => {
        const result = await startDeployment(getEngineContext(), data, user.username, undefined, actor);
        if (result.noop) return { started: false, message: result.message };
        return {
          started: true,
          deploymentId: result.deploymentId,
          message: `Deploying ${data.image} to ${result.toSlot}.`,
        };
      },
    ),
  "deployment.start",
);

/** The live colour is down: start its release again on its own colour (not a deployment). */
export const restartLiveAction = action(
  "oncall",
  z.object({ service: z.string().min(1) }),
  (data, { user }): Promise<{ message: string }> =>
    audited(
      user,
      { action: "service.restart_live", target: `service:${data.service}` },
      () => restartLive(getEngineContext(), data.service),
      (r) => ({ reason: r.message }),
    ),
  "service.restart_live",
);

/** An admin releases a deploy lock whose holder is dead, with a reason; the verb audits and notifies it. */
export const forceReleaseLockAction = action(
  "admin",
  forceReleaseInput,
  async (data, { user }) => {
    const { released } = forceReleaseLock(getEngineContext(), data, user, await requestOrigin());
    return { message: `Released the deploy lock of ${data.service} held by ${released.holder}.` };
  },
  "lock.force_release",
);
