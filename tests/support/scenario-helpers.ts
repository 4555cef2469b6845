import Database from "better-sqlite3";
import { expect } from "vitest";
import type { Slot } from "@/lib/config/schema";
import { deployments } from "@/lib/db/schema";
import { findContainers } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { deployLockName, readLease } from "@/lib/deploy/lease";
import { listSteps } from "@/lib/deploy/store";
import { ConflictError } from "@/lib/errors";
import { lbHealth, type Fixture } from "./engine-fixture";

/** The service's containers by slot and deployment label, running or not. */
export async function containersOf(fx: Fixture) {
  const all = await findContainers({ service: fx.service.name, all: true });
  return all.map((c) => ({
    name: c.name,
    running: c.running,
    slot: c.labels[LABELS.slot],
    deployment: c.labels[LABELS.deployment],
  }));
}

export async function targetContainers(fx: Fixture, deploymentId: string) {
  return findContainers({ service: fx.service.name, deployment: deploymentId, all: true });
}

export function deploymentCount(fx: Fixture): number {
  return fx.ctx.db
    .select()
    .from(deployments)
    .all()
    .filter((d) => d.service === fx.service.name).length;
}

export function stepsOf(fx: Fixture, id: string): string[] {
  return listSteps(fx.ctx.db, id).map((s) => `${s.phase}:${s.status}`);
}

export function stepOf(fx: Fixture, id: string, phase: string) {
  return listSteps(fx.ctx.db, id).find((s) => s.phase === phase);
}

export function lockOf(fx: Fixture) {
  return readLease(fx.ctx.db, deployLockName(fx.service.name));
}

/** nginx answers with `version` from `slot`, looking at the upstream nginx reports, not at our own records. */
export async function expectServes(fx: Fixture, slot: Slot, version: string): Promise<void> {
  const served = await lbHealth(fx);
  expect(served).toMatchObject({ status: 200, version, upstream: `127.0.0.1:${fx.service.slots[slot].port}` });
}

export async function expectConflict(promise: Promise<unknown>, message: RegExp): Promise<ConflictError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect((error as Error).message).toMatch(message);
  return error as ConflictError;
}

/** Schema (as SQLite stores it) and every row of every user table: "the database is exactly as before". */
export function appDbSnapshot(file: string): { schema: string[]; rows: Record<string, unknown[]> } {
  const db = new Database(file, { readonly: true });
  try {
    const objects = db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all() as Array<{ type: string; name: string; sql: string | null }>;
    const rows: Record<string, unknown[]> = {};
    for (const o of objects.filter((o) => o.type === "table"))
      rows[o.name] = db.prepare(`SELECT * FROM "${o.name}" ORDER BY rowid`).all();
    return { schema: objects.map((o) => `${o.type} ${o.name}: ${o.sql ?? ""}`), rows };
  } finally {
    db.close();
  }
}

/** The steps of a deployment waiting at the gate, every check passed (as `stepsOf` lists them). */
export const PRE_GATE_STEPS = [
  "pull:passed",
  "preflight:passed",
  "backup:passed",
  "start_target:passed",
  "migrate:passed",
  "health:passed",
  "smoke:passed",
  "gate:running",
];
