import { ConflictError } from "@/lib/errors";
import { readAttachments } from "@/lib/release/attachments";
import type { EngineContext } from "./context";
import { startDeployment, type StartDeploymentResult } from "./start-deployment";
import { getDeployment } from "./store";
import { RETRYABLE } from "./lifecycle";

/**
 * Runs a finished, unsuccessful deployment's release again (the very image it pinned) as a new deployment with every
 * check, carrying its notes and test report, and the override its starter gave for failed tests.
 */
export async function retryDeployment(ctx: EngineContext, id: string, by: string): Promise<StartDeploymentResult> {
  const dep = getDeployment(ctx.db, id);
  if (!RETRYABLE.includes(dep.status))
    throw new ConflictError(
      `Deployment ${id} is ${dep.status.replace("_", " ")}; only failed, aborted, expired or rolled back ones can be retried.`,
    );
  return startDeployment(
    ctx,
    { service: dep.service, image: dep.image, version: dep.version, autoPromote: dep.autoPromote },
    by,
    { imageDigest: dep.imageDigest, attachments: readAttachments(ctx.db, id) },
  );
}
