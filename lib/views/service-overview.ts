import { logger } from "@/lib/log";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { routeProbe } from "@/lib/nginx/route-probe";
import type { Deployment } from "@/lib/db/schema";
import { serviceOf, type EngineContext } from "@/lib/deploy/context";
import { deployLockName, readLease } from "@/lib/deploy/lease";
import { pickSlotContainer, readLiveState } from "@/lib/deploy/live-slot";
import { viewContainers } from "./container-cache";
import { listDeployments, servingDeployment, unfinishedDeployments } from "@/lib/deploy/store";
import type { ContainerSummary } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { AppError, publicMessage } from "@/lib/errors";
import { cachedHealth, type HealthView } from "./live-health";
import { openIncidentOf } from "@/lib/incidents/store";
import { alertsView, type AlertView } from "@/lib/alerts/view";

const log = logger("views");

export type ContainerView = {
  name: string;
  state: string;
  running: boolean;
  startedAt: string | null;
  image: string;
  version: string | null;
  deploymentId: string | null;
};

export type SlotView = {
  slot: Slot;
  port: number;
  live: boolean;
  container: ContainerView | null;
  warmUntil: number | null;
};

export type IncidentView = {
  kind: "live_down" | "failed_release";
  problem: string;
  openedAt: number;
  deploymentId: string | null;
  retryAttempts: number;
};

export type LockView = { holder: string; reason: string; acquiredAt: number; expiresAt: number };

export type ServiceOverview = {
  name: string;
  repository: string;
  /** The service's pull policy: anything but `never` may name a tag that is only in the registry. */
  pull: "missing" | "always" | "never";
  /** Where the service's users reach it through nginx (its own port or path prefix)... */
  lbUrl: string;
  /** ...with this Host header, for a service routed by host name. */
  lbHost: string | null;
  live: { slot: Slot; version: string | null; image: string | null; running: boolean } | null;
  health: HealthView | null;
  slots: Record<Slot, SlotView>;
  active: Deployment | null;
  lock: LockView | null;
  history: Deployment[];
  /**
   * What is wrong, in words: the open incident (live colour down, a failed release serving), else what this read
   * itself shows (the live container not running, nginx pointing at nothing), else why part of the picture is
   * missing (Docker or nginx unreadable). Null when the service serves as it should.
   */
  problem: string | null;
  incident: IncidentView | null;
  /** The service's alert rules on the live colour: pending, firing (silenced or paged), resolved. */
  alerts: AlertView[];
  readAt: number;
};

const containerView = (c: ContainerSummary | null): ContainerView | null =>
  c && {
    name: c.name,
    state: c.state,
    running: c.running,
    startedAt: c.startedAt,
    image: c.image,
    version: c.labels[LABELS.version] ?? null,
    deploymentId: c.labels[LABELS.deployment] ?? null,
  };

async function readSlots(ctx: EngineContext, service: ServiceConfig) {
  const containers = await viewContainers(service.name);
  const live = await readLiveState(ctx, service, containers);
  return {
    live,
    containers: { blue: pickSlotContainer(containers, "blue"), green: pickSlotContainer(containers, "green") },
  };
}

/** Everything a person needs to judge one service at a glance: what serves, is it healthy, what is moving, who holds the lock. */
export async function serviceOverview(
  ctx: EngineContext,
  name: string,
  options: { historyLimit?: number } = {},
): Promise<ServiceOverview> {
  const service = serviceOf(ctx, name);
  const active = unfinishedDeployments(ctx.db).find((d) => d.service === service.name) ?? null;
  const lease = readLease(ctx.db, deployLockName(service.name));
  const now = Date.now();
  const lock =
    lease && lease.expiresAt > now
      ? { holder: lease.holder, reason: lease.reason, acquiredAt: lease.acquiredAt, expiresAt: lease.expiresAt }
      : null;
  const serving = servingDeployment(ctx.db, service.name);
  const warm =
    serving?.status === "succeeded" && serving.fromSlot && serving.oldSlotUntil && !serving.oldSlotRemovedAt
      ? { slot: serving.fromSlot, until: serving.oldSlotUntil }
      : null;
  const history = options.historyLimit ? listDeployments(ctx.db, service.name, options.historyLimit) : [];

  let problem: string | null = null;
  let state: Awaited<ReturnType<typeof readSlots>> = { live: null, containers: { blue: null, green: null } };
  try {
    state = await readSlots(ctx, service);
  } catch (error) {
    if (!(error instanceof AppError))
      log.error({ err: error, service: service.name }, `reading ${service.name}'s slots failed`);
    problem = publicMessage(error);
  }
  const { live } = state;
  const open = openIncidentOf(ctx.db, service.name);
  const incident: IncidentView | null = open
    ? {
        kind: open.kind,
        problem: open.problem,
        openedAt: open.openedAt,
        deploymentId: open.deploymentId,
        retryAttempts: open.retryAttempts,
      }
    : null;
  if (incident) problem = incident.problem;
  else if (!problem && live && !live.container) problem = `the live colour ${live.slot} has no container`;
  else if (!problem && live?.container && !live.container.running)
    problem = `the live container ${live.container.name} (${live.slot}) is ${live.container.state}`;
  else if (!problem && !live && serving) problem = `nginx's upstream for ${service.name} points at no colour`;
  const health = live?.container?.running ? await cachedHealth(service, live.slot, live.version) : null;
  const slot = (s: Slot): SlotView => ({
    slot: s,
    port: service.slots[s].port,
    live: live?.slot === s,
    container: containerView(state.containers[s]),
    warmUntil: warm?.slot === s ? warm.until : null,
  });
  const entry = routeProbe(ctx.config.nginx.lbUrl, service.route);
  return {
    name: service.name,
    repository: service.image,
    pull: service.pull,
    lbUrl: entry.baseUrl || ctx.config.nginx.lbUrl,
    lbHost: entry.hostHeader ?? null,
    live: live && {
      slot: live.slot,
      version: live.version,
      image: live.image,
      running: live.container?.running ?? false,
    },
    health,
    slots: { blue: slot("blue"), green: slot("green") },
    active,
    lock,
    history,
    problem,
    incident,
    alerts: alertsView(ctx.db, service, now),
    readAt: now,
  };
}

export async function servicesOverview(ctx: EngineContext): Promise<ServiceOverview[]> {
  return Promise.all(ctx.config.services.map((s) => serviceOverview(ctx, s.name)));
}
