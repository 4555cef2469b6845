import type { Fixture } from "./engine-fixture";
import { deployLockName, readLease } from "@/lib/deploy/lease";
import { FINAL_STATUSES } from "@/lib/db/schema";

/** A small seeded generator (mulberry32), so a random run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFrom(envName: string): number {
  const given = process.env[envName];
  if (given !== undefined && !/^\d+$/.test(given))
    throw new Error(`${envName} must be a whole number (the seed a previous run printed)`);
  return given !== undefined ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function deploymentStatus(fx: Fixture, id: string): string | undefined {
  return (
    fx.ctx.db.$client.prepare("SELECT status FROM deployments WHERE id = ?").get(id) as { status: string } | undefined
  )?.status;
}

/** The deployment is being driven by the process whose pid is given: its deploy lock carries that process's instance. */
export function drivenBy(fx: Fixture, pid: number): boolean {
  const lease = readLease(fx.ctx.db, deployLockName(fx.service.name));
  return !!lease && lease.instance.startsWith(`${pid}-`);
}

/** Final, with the deploy lock released (a deployment's clean-up runs after its final state is claimed). */
export function settled(fx: Fixture, id: string): boolean {
  const status = deploymentStatus(fx, id);
  return !!status && FINAL_STATUSES.includes(status as never) && !readLease(fx.ctx.db, deployLockName(fx.service.name));
}
