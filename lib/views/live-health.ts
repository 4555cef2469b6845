import { processWide } from "@/lib/process-wide";
import { checkHealthOnce } from "@/lib/checks/health";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { slotUrl } from "@/lib/deploy/context";

export type HealthView = {
  ok: boolean;
  slot: Slot;
  version: string | null;
  status: number | null;
  reason: string | null;
  ms: number;
  checkedAt: number;
};

const TTL_MS = 5_000;
/** An answer this old may still be shown while a fresh one is on its way; older ones make the page wait. */
const STALE_MS = 30_000;
type Entry = { at: number; result: Promise<HealthView>; settled: boolean };

/** One health request to the slot, shared by every page for a few seconds so a busy console never floods the service. */
export function cachedHealth(
  service: ServiceConfig,
  slot: Slot,
  expectedVersion: string | null,
  now = Date.now(),
): Promise<HealthView> {
  const cache = processWide("health-cache", () => new Map<string, Entry>());
  const key = `${service.name}:${slot}:${expectedVersion ?? ""}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.result;
  const result = checkHealthOnce({
    url: `${slotUrl(service, slot)}${service.health.path}`,
    expectedVersion: expectedVersion ?? undefined,
    versionField: service.health.versionField,
    requestTimeoutMs: 1_500,
  }).then((r) => ({
    ok: r.ok,
    slot,
    version: r.version ?? null,
    status: r.status ?? null,
    reason: r.reason ?? null,
    ms: r.ms,
    checkedAt: Date.now(),
  }));
  const entry: Entry = { at: now, result, settled: false };
  void result.finally(() => (entry.settled = true));
  cache.set(key, entry);
  // Pages never wait on a health request when a recent answer exists: they show it while the new one runs.
  return hit?.settled && now - hit.at < STALE_MS ? hit.result : result;
}
