import { processWide } from "@/lib/process-wide";
import type { ServiceConfig } from "@/lib/config/schema";
import { WAITING_STATUSES } from "@/lib/db/schema";
import type { EngineContext } from "@/lib/deploy/context";
import { signalDeployment } from "@/lib/deploy/bus";
import { servingDeployment, unfinishedDeployments } from "@/lib/deploy/store";
import { checkLiveColour } from "./check-live";
import { retryFailedRollback } from "./retry-rollback";
import { openIncidentOf, raiseIncident, resolveIncident } from "./store";

type LiveWatch = {
  service: string;
  state: "ok" | "raised" | "ongoing" | "resolved" | "in_motion" | "never_deployed" | "rolled_back";
};

/** Consecutive failed checks per service; one bad answer (a reload in flight) is not yet an incident. */
const failures = () => processWide("live-failures", () => new Map<string, number>());
const FAILED_CHECKS_TO_RAISE = 2;

/**
 * One round of the engine's live check. A service with a deployment in motion is left to it. A failed release that
 * still serves (its rollback could not run) is an incident until it no longer serves; its rollback is retried when
 * Docker and nginx answer again. Otherwise the live colour is checked; two failed checks in a row raise the
 * incident once (Slack, PagerDuty), the first good one resolves it. Never starts a deployment.
 */
export async function watchLiveColours(ctx: EngineContext, now = Date.now()): Promise<LiveWatch[]> {
  const out: LiveWatch[] = [];
  for (const service of ctx.config.services) {
    const state = await watchOne(ctx, service, now);
    // An incident raised or resolved changes what the service's page shows: its streams read again.
    if (state === "raised" || state === "resolved")
      signalDeployment({ deploymentId: servingDeployment(ctx.db, service.name)?.id ?? "", service: service.name });
    out.push({ service: service.name, state });
  }
  return out;
}

async function watchOne(ctx: EngineContext, service: ServiceConfig, now: number): Promise<LiveWatch["state"]> {
  if (unfinishedDeployments(ctx.db).some((d) => d.service === service.name && !WAITING_STATUSES.includes(d.status)))
    return "in_motion";
  const serving = servingDeployment(ctx.db, service.name);
  const open = openIncidentOf(ctx.db, service.name);
  if (open?.kind === "failed_release" && serving?.id !== open.deploymentId) {
    resolveIncident(
      ctx.db,
      service.name,
      serving ? `${serving.version} (${serving.id}) serves now` : "the failed release no longer serves",
      now,
    );
  }
  const check = await checkLiveColour(ctx, service);
  if (serving?.status === "failed") {
    const retried = await retryFailedRollback(ctx, service, serving, check, now);
    if (retried === "rolled_back") return "rolled_back";
    return retried === "raised" ? "raised" : "ongoing";
  }
  if (!serving && !open && !check.ok && /points at no colour/.test(check.problem)) return "never_deployed";
  if (check.ok) {
    failures().delete(service.name);
    const resolved =
      open?.kind === "live_down"
        ? resolveIncident(ctx.db, service.name, "the live colour serves again", now)
        : undefined;
    if (resolved)
      ctx.notify?.({
        kind: "live_recovered",
        service: service.name,
        message: `${service.name} serves again through nginx (down since ${new Date(resolved.openedAt).toISOString()}).`,
      });
    return resolved ? "resolved" : "ok";
  }
  const count = (failures().get(service.name) ?? 0) + 1;
  failures().set(service.name, count);
  if (count < FAILED_CHECKS_TO_RAISE && !open) return "ok";
  const { opened } = raiseIncident(
    ctx.db,
    { service: service.name, kind: "live_down", problem: check.problem, deploymentId: serving?.id ?? null },
    now,
  );
  if (opened)
    ctx.notify?.({
      kind: "live_down",
      service: service.name,
      deploymentId: serving?.id,
      message: `${service.name} is down: ${check.problem}`,
    });
  return opened ? "raised" : "ongoing";
}
