import { z } from "zod";
import { otherSlot } from "@/lib/config/schema";
import { imageMatchesRepository, parseImageRef } from "@/lib/docker/image-ref";
import { deployments, FINAL_STATUSES } from "@/lib/db/schema";
import { and, desc, eq } from "drizzle-orm";
import { ConflictError, ValidationError } from "@/lib/errors";
import { pinServiceConfig, serviceOf, type EngineContext } from "./context";
import { newDeploymentId } from "./ids";
import { acquireLease, assertMayDrive, deployLockName, readLease } from "./lease";
import { readLiveState } from "./live-slot";
import { launchPipeline } from "./pipeline";
import { START } from "./lifecycle";
import { auditVerb, type Actor } from "./audit-verb";
import { addEvent, unfinishedDeployments } from "./store";
import { signalDeployment } from "./bus";
import { storageError } from "@/lib/db/errors";
import { supersedePending } from "@/lib/approvals/supersede";
import {
  attachmentsAudit,
  prepareAttachments,
  type PreparedAttachments,
  releaseAttachmentFields,
  saveAttachments,
} from "@/lib/release/attachments";

export const startDeploymentInput = z.object({
  service: z.string().min(1, "pick a service"),
  image: z.string().min(1, "pick an image"),
  version: z
    .string()
    .regex(/^[A-Za-z0-9][\w.+-]{0,63}$/, "a version is letters, digits, dots, dashes, pluses or underscores (max 64)")
    .optional(),
  autoPromote: z.boolean().optional(),
  ...releaseAttachmentFields,
});
export type StartDeploymentInput = z.infer<typeof startDeploymentInput>;

export type StartDeploymentResult =
  | { noop: false; deploymentId: string; toSlot: "blue" | "green"; pipeline: Promise<void> }
  | { noop: true; message: string };

/** How long a new deployment waits for the previous one to finish cleaning up, beyond the target's stop grace. */
const CLEANUP_WAIT_EXTRA_MS = 15_000;

/**
 * A deployment that has just failed, been aborted or rolled back still holds the lock while it removes its target.
 * Someone who deploys the fix right then should not be told to try again: wait (bounded) for that clean-up.
 * Returns at once when the lock is free or held by something still in progress, which is a real conflict.
 */
async function waitForFinishingHolder(ctx: EngineContext, serviceName: string, boundMs: number): Promise<void> {
  const lock = deployLockName(serviceName);
  const finishing = () => {
    const lease = readLease(ctx.db, lock);
    if (!lease) return false;
    const holder = ctx.db
      .select({ status: deployments.status })
      .from(deployments)
      .where(eq(deployments.id, lease.holder))
      .get();
    return holder !== undefined && FINAL_STATUSES.includes(holder.status);
  };
  const until = Date.now() + boundMs;
  while (finishing() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}

/**
 * A release named by digest (`repo@sha256:…`) that an earlier deployment ran is that release again: its tag and
 * version come from that record, and it runs exactly that image.
 */
function earlierPinned(
  ctx: EngineContext,
  serviceName: string,
  digestRef: string,
): { image: string; version: string } | undefined {
  return ctx.db
    .select({ image: deployments.image, version: deployments.version })
    .from(deployments)
    .where(and(eq(deployments.service, serviceName), eq(deployments.imageDigest, digestRef)))
    .orderBy(desc(deployments.createdAt))
    .get();
}

/**
 * Validates the release, refuses conflicts, records the deployment and starts its pipeline in the background.
 * `pinned` (a retry) runs a recorded digest instead of whatever the tag names now, with the notes and test report
 * the release was first started with.
 */
export async function startDeployment(
  ctx: EngineContext,
  rawInput: StartDeploymentInput,
  requestedBy: string,
  pinned?: { imageDigest: string | null; attachments?: PreparedAttachments | null },
  actor?: Actor,
): Promise<StartDeploymentResult> {
  const parsed = startDeploymentInput.safeParse(rawInput);
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  const input = parsed.data;
  const attachments = pinned?.attachments ?? prepareAttachments(input);
  const service = serviceOf(ctx, input.service);
  assertMayDrive(ctx.db);
  const ref = parseImageRef(input.image, ctx.config.docker.allowedRegistries);
  if (!imageMatchesRepository(ref.ref, service.image))
    throw new ValidationError(`Image ${ref.ref} is not from ${service.name}'s repository ${service.image}.`);
  const earlier = ref.digest ? earlierPinned(ctx, service.name, ref.ref) : undefined;
  const image = earlier?.image ?? ref.ref;
  const imageDigest = pinned?.imageDigest ?? (ref.digest ? ref.ref : null);
  const version = input.version ?? earlier?.version ?? ref.tag;
  if (!version)
    throw new ValidationError(`Image ${ref.ref} has no tag; give the version it reports on ${service.health.path}.`);

  await waitForFinishingHolder(ctx, service.name, service.container.stopGraceSeconds * 1000 + CLEANUP_WAIT_EXTRA_MS);
  const live = await readLiveState(ctx, service);
  if (live?.container?.running && live.version === version) {
    const message = `${service.name} already serves ${version} from ${live.slot}; nothing to deploy.`;
    if (actor) auditStart(ctx, { service: service.name, version, to: null }, actor, message, { image, noop: true });
    return { noop: true, message };
  }

  const id = newDeploymentId();
  // A slot nginx points at but where nothing was ever deployed is a first install onto that slot.
  const from = live?.container ? live : null;
  const toSlot = from ? otherSlot(from.slot) : (live?.slot ?? "blue");
  const now = Date.now();
  const said = `${requestedBy} started deploying ${image}${imageDigest && imageDigest !== image ? ` pinned to ${imageDigest}` : ""} (${version}) to ${toSlot}`;
  const override = attachments?.testFailureOverride;
  try {
    ctx.db.$client
      .transaction(() => {
        acquireLease(ctx.db, {
          name: deployLockName(service.name),
          holder: id,
          reason: `deploy ${version} by ${requestedBy}`,
          now,
        });
        const busy = unfinishedDeployments(ctx.db).find((d) => d.service === service.name);
        if (busy)
          throw new ConflictError(
            `${service.name} already has deployment ${busy.id} (${busy.version}) in state ${busy.status}.`,
          );
        ctx.db
          .insert(deployments)
          .values({
            id,
            service: service.name,
            image,
            imageDigest,
            version,
            fromSlot: from?.slot ?? null,
            toSlot,
            fromVersion: from?.version ?? null,
            fromImage: from?.image ?? null,
            status: START.to,
            phase: "pull",
            autoPromote: input.autoPromote ?? service.promotion.autoPromote,
            requestedBy,
            createdAt: now,
            updatedAt: now,
          })
          .run();
        if (attachments) saveAttachments(ctx.db, id, attachments, now);
        if (actor)
          auditStart(
            ctx,
            { id, service: service.name, version, to: START.to },
            actor,
            override ? `${said}; failed tests overridden: ${override}` : said,
            { image, ...attachmentsAudit(attachments) },
          );
      })
      .immediate();
  } catch (error) {
    throw storageError(error, `the deployment of ${version}`);
  }
  pinServiceConfig(id, service);
  addEvent(ctx.db, id, "info", said);
  supersedePending(ctx.db, service.name, `deployment ${id} of ${version} started`);
  signalDeployment({ deploymentId: id, service: service.name });
  ctx.notify?.({
    kind: "deployment_started",
    service: service.name,
    deploymentId: id,
    message: `${requestedBy} started deploying ${service.name} ${version} to ${toSlot}`,
    ...(actor && { audited: true }),
  });
  return { noop: false, deploymentId: id, toSlot, pipeline: launchPipeline(ctx, id) };
}

/** A person's start writes its one audit row: with the deployment it recorded, or naming the service for a noop. */
function auditStart(
  ctx: EngineContext,
  what: { id?: string; service: string; version: string; to: typeof START.to | null },
  actor: Actor,
  reason: string,
  details: Record<string, unknown>,
): void {
  auditVerb(ctx, { ...what, verb: START.verb, from: null }, { actor, reason, details });
}
