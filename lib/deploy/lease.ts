import { processWide } from "@/lib/process-wide";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { UNFINISHED_STATUSES, type Lease } from "@/lib/db/schema";
import { ConflictError } from "@/lib/errors";
import { holderGone, SELF } from "./holder";

/**
 * This process's identity in lease rows; a restarted process is a new instance. Process-wide: Next loads
 * a module once per server bundle (instrumentation, each route), and they must all be the same instance.
 */
export const INSTANCE: string = processWide("instance", () => `${process.pid}-${randomUUID().slice(0, 8)}`);

export const DEFAULT_LEASE_MS = 60_000;

type LeaseRow = {
  name: string;
  holder: string;
  owner_pid: number;
  instance: string;
  reason: string;
  acquired_at: number;
  heartbeat_at: number;
  expires_at: number;
  host: string | null;
  boot_id: string | null;
  pid_start: string | null;
};

const toLease = (r: LeaseRow): Lease => ({
  name: r.name,
  holder: r.holder,
  ownerPid: r.owner_pid,
  instance: r.instance,
  reason: r.reason,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
  expiresAt: r.expires_at,
  host: r.host,
  bootId: r.boot_id,
  pidStart: r.pid_start,
});

export function readLease(db: Db, name: string): Lease | null {
  const row = db.$client.prepare("SELECT * FROM leases WHERE name = ?").get(name) as LeaseRow | undefined;
  return row ? toLease(row) : null;
}

export function describeLease(lease: Lease, now = Date.now()): string {
  const age = Math.round((now - lease.acquiredAt) / 1000);
  const left = Math.max(0, Math.round((lease.expiresAt - now) / 1000));
  return `held by ${lease.holder} (${lease.reason}) for ${age} s; the lease expires in ${left} s unless renewed`;
}

type AcquireInput = { name: string; holder: string; reason: string; ttlMs?: number; now?: number };

/** The lease as it was before a takeover, and why its holder was provably dead. */
export type Replaced = { lease: Lease; why: string };

function writeLease(db: Db, input: AcquireInput, replaceDead: boolean): { lease: Lease; replaced: Replaced | null } {
  const now = input.now ?? Date.now();
  const ttl = input.ttlMs ?? DEFAULT_LEASE_MS;
  return db.$client
    .transaction(() => {
      const current = readLease(db, input.name);
      let replaced: Replaced | null = null;
      if (current && current.holder !== input.holder && current.expiresAt > now) {
        const why = replaceDead && current.instance !== INSTANCE ? holderGone(current) : null;
        if (!why)
          throw new ConflictError(`${input.name.replace(/^deploy:/, "")} is locked: ${describeLease(current, now)}.`);
        replaced = { lease: current, why };
      } else if (current && current.holder !== input.holder) {
        replaced = { lease: current, why: `its lease expired ${Math.round((now - current.expiresAt) / 1000)} s ago` };
      }
      db.$client
        .prepare(
          `INSERT INTO leases (name, holder, owner_pid, instance, reason, acquired_at, heartbeat_at, expires_at, host, boot_id, pid_start)
           VALUES (@name, @holder, @pid, @instance, @reason, @now, @now, @expires, @host, @bootId, @pidStart)
           ON CONFLICT(name) DO UPDATE SET holder = @holder, owner_pid = @pid, instance = @instance, reason = @reason,
             acquired_at = CASE WHEN leases.holder = @holder THEN leases.acquired_at ELSE @now END,
             heartbeat_at = @now, expires_at = @expires, host = @host, boot_id = @bootId, pid_start = @pidStart`,
        )
        .run({
          name: input.name,
          holder: input.holder,
          pid: process.pid,
          instance: INSTANCE,
          reason: input.reason,
          now,
          expires: now + ttl,
          ...SELF,
        });
      return { lease: readLease(db, input.name)!, replaced };
    })
    .immediate();
}

/**
 * Takes the lease, or renews it when the same holder already has it. Anyone else's unexpired lease is a conflict
 * that names its holder and age.
 */
export function acquireLease(db: Db, input: AcquireInput): Lease {
  return writeLease(db, input, false).lease;
}

/**
 * Like acquireLease, but an unexpired lease whose holder is provably dead (same host: pid gone or reused, or a boot
 * since) is taken at once. Returns what was replaced, so the caller can audit and log it.
 */
export function acquireOrTakeOver(db: Db, input: AcquireInput): { lease: Lease; replaced: Replaced | null } {
  return writeLease(db, input, true);
}

/**
 * Renews the leases this process holds for work still in progress: deploy locks of unfinished deployments. A lock
 * whose deployment ended (or that no deployment holds) is left to expire, so a slip never blocks a service forever.
 */
export function heartbeatLeases(db: Db, ttlMs = DEFAULT_LEASE_MS, now = Date.now()): number {
  return db.$client
    .prepare(
      `UPDATE leases SET heartbeat_at = ?, expires_at = ?
       WHERE instance = ? AND name LIKE 'deploy:%'
         AND holder IN (SELECT id FROM deployments WHERE status IN (${UNFINISHED_STATUSES.map((s) => `'${s}'`).join(", ")}))`,
    )
    .run(now, now + ttlMs, INSTANCE).changes;
}

/**
 * One engine per database: another live process that holds the engine lease drives deployments, and this one
 * must not start or move any (its pipelines would have no heartbeat and no recovery). Without an engine lease
 * (tests, the command-line engine) anyone may drive.
 */
export function assertMayDrive(db: Db, now = Date.now()): void {
  const engine = readLease(db, "engine");
  if (engine && engine.instance !== INSTANCE && engine.expiresAt > now)
    throw new ConflictError(
      `Another Greenlight process (pid ${engine.ownerPid}) drives deployments on this database; use its console or API.`,
    );
}

export function releaseLease(db: Db, name: string, holder: string): boolean {
  return db.$client.prepare("DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder).changes === 1;
}

/** An admin's way out of a stale lock; the caller audits it. */
export function forceReleaseLease(db: Db, name: string): Lease | null {
  const current = readLease(db, name);
  if (current) db.$client.prepare("DELETE FROM leases WHERE name = ?").run(name);
  return current;
}

export const deployLockName = (service: string) => `deploy:${service}`;
