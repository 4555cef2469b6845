import type { Slot } from "@/lib/config/schema";
import { verifyAuditChain } from "@/lib/audit/verify";
import { tableRowCounts } from "@/lib/appdb/row-counts";
import { openServiceDb } from "@/lib/appdb/open";
import { FINAL_STATUSES, type Deployment } from "@/lib/db/schema";
import { deployLockName, readLease } from "@/lib/deploy/lease";
import { servingDeployment, unfinishedDeployments } from "@/lib/deploy/store";
import { findContainers } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { readLiveUpstream } from "@/lib/nginx/switch-upstream";
import { lbHealth, type Fixture } from "./engine-fixture";
import { sleep } from "./kill-restart";

const mine = (instance: string | undefined, pid: number) => !!instance && instance.startsWith(`${pid}-`);

/**
 * Waits (bounded) until the console with `pid` drives the engine and no deployment is in motion: each is final or
 * waits at the promotion gate under a lock that console holds. Returns what was still moving at the deadline.
 */
export async function waitUntilAtRest(fx: Fixture, pid: number, boundMs: number): Promise<string[]> {
  const end = Date.now() + boundMs;
  let moving: string[] = [];
  while (Date.now() < end) {
    moving = [];
    if (!mine(readLease(fx.ctx.db, "engine")?.instance, pid))
      moving.push("the engine lease is not held by the new console");
    const lock = readLease(fx.ctx.db, deployLockName(fx.service.name));
    for (const d of unfinishedDeployments(fx.ctx.db)) {
      if (d.status !== "awaiting_promotion") moving.push(`${d.id} is ${d.status} in ${d.phase}`);
      else if (!(lock?.holder === d.id && mine(lock.instance, pid)))
        moving.push(`${d.id} waits at the gate without the new console holding its lock`);
    }
    if (lock && !unfinishedDeployments(fx.ctx.db).some((d) => d.id === lock.holder))
      moving.push(`the deploy lock is held by ${lock.holder}, which is over`);
    if (moving.length === 0) return [];
    await sleep(100);
  }
  return moving;
}

/** The colours that may have a container: the live one, the warm rollback target, a waiting preview's target. */
function allowedSlots(fx: Fixture, live: Slot): Set<Slot> {
  const allowed = new Set<Slot>([live]);
  const serving: Deployment | undefined = servingDeployment(fx.ctx.db, fx.service.name);
  if (
    serving?.status === "succeeded" &&
    serving.fromSlot &&
    serving.oldSlotUntil &&
    serving.oldSlotUntil > Date.now() &&
    !serving.oldSlotRemovedAt
  )
    allowed.add(serving.fromSlot);
  if (serving?.status === "failed" && serving.fromSlot) allowed.add(serving.fromSlot);
  for (const d of unfinishedDeployments(fx.ctx.db)) if (d.status === "awaiting_promotion") allowed.add(d.toSlot);
  return allowed;
}

/**
 * What the chaos test demands after every restart; returns each broken rule in words (empty when all hold):
 * exactly one colour serves through nginx, no container without a purpose, every record final or driven, the
 * service's rows intact, the audit chain valid.
 */
export async function brokenInvariants(fx: Fixture, pid: number, appRows: Record<string, number>): Promise<string[]> {
  const broken: string[] = [];
  const upstream = await readLiveUpstream(fx.config.nginx, fx.service.name);
  if (!upstream) return ["nginx's upstream file names no colour"];
  const expected = `127.0.0.1:${fx.service.slots[upstream.slot].port}`;
  const containers = await findContainers({ service: fx.service.name, all: true });
  const liveVersion = containers.find((c) => c.running && c.labels[LABELS.slot] === upstream.slot)?.labels[
    LABELS.version
  ];
  for (let i = 0; i < 5; i++) {
    const served = await lbHealth(fx).catch((e: Error) => ({ status: 0, version: e.message, upstream: null }));
    if (served.status !== 200 || served.upstream !== expected || served.version !== liveVersion) {
      broken.push(
        `probe ${i + 1} through nginx: ${served.status} ${served.version ?? "?"} from ${served.upstream ?? "?"}, expected ${liveVersion ?? "?"} from ${expected}`,
      );
      break;
    }
  }
  const allowed = allowedSlots(fx, upstream.slot);
  for (const c of containers) {
    const slot = c.labels[LABELS.slot] as Slot;
    if (!allowed.has(slot)) broken.push(`orphan container ${c.name} (${slot}, ${c.state})`);
    else if (!c.running) broken.push(`container ${c.name} of the ${slot} slot is ${c.state}`);
  }
  for (const slot of ["blue", "green"] as const) {
    const n = containers.filter((c) => c.labels[LABELS.slot] === slot).length;
    if (n > 1) broken.push(`${n} containers for the ${slot} slot`);
  }
  const db = fx.ctx.db.$client;
  const gateOf = new Set(
    unfinishedDeployments(fx.ctx.db)
      .filter((d) => d.status === "awaiting_promotion")
      .map((d) => d.id),
  );
  const openSteps = db
    .prepare("SELECT deployment_id AS id, phase FROM deployment_steps WHERE status = 'running'")
    .all() as Array<{ id: string; phase: string }>;
  for (const s of openSteps)
    if (!(s.phase === "gate" && gateOf.has(s.id))) broken.push(`step ${s.phase} of ${s.id} is still running`);
  const nonFinal = db
    .prepare(
      `SELECT id, status FROM deployments WHERE status NOT IN (${FINAL_STATUSES.map((s) => `'${s}'`).join(", ")})`,
    )
    .all() as Array<{ id: string; status: string }>;
  for (const d of nonFinal) if (d.status !== "awaiting_promotion") broken.push(`deployment ${d.id} is ${d.status}`);
  const approved = db.prepare("SELECT id FROM rollback_requests WHERE status = 'approved'").all() as Array<{
    id: string;
  }>;
  for (const r of approved) broken.push(`rollback request ${r.id} is approved but was never run`);
  const lock = readLease(fx.ctx.db, deployLockName(fx.service.name));
  if (lock && !(gateOf.has(lock.holder) && mine(lock.instance, pid)))
    broken.push(`deploy lock held by ${lock.holder} (pid ${lock.ownerPid})`);
  const rows = tableRowCounts(fx.appDbPath, Object.keys(appRows));
  if (JSON.stringify(rows) !== JSON.stringify(appRows))
    broken.push(`service rows changed: ${JSON.stringify(rows)} vs ${JSON.stringify(appRows)}`);
  const appDb = openServiceDb(fx.appDbPath, { readonly: true });
  try {
    const check = appDb.pragma("integrity_check", { simple: true });
    if (check !== "ok") broken.push(`service database integrity: ${String(check)}`);
  } finally {
    appDb.close();
  }
  const chain = verifyAuditChain(fx.ctx.db);
  if (!chain.ok) broken.push(`audit chain broken at ${chain.brokenAt}: ${chain.reason}`);
  return broken;
}
