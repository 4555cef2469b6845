import { checkHealthOnce } from "@/lib/checks/health";
import type { ServiceConfig, Slot } from "@/lib/config/schema";
import { slotUrl } from "@/lib/deploy/context";

export type HealthView = { ok: boolean; slot: Slot; version: string | null; status: number | null; reason: string | null; ms: number; checkedAt: number };

const TTL_MS = 5_000;
const g = globalThis as unknown as { __greenlightHealthCache?: Map<string, { at: number; result: Promise<HealthView> }> };

/** One health request to the slot, shared by every page for a few seconds so a busy console never floods the service. */
export function cachedHealth(service: ServiceConfig, slot: Slot, expectedVersion: string | null, now = Date.now()): Promise<HealthView> {
  const cache = (g.__greenlightHealthCache ??= new Map());
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
  cache.set(key, { at: now, result });
  return result;
}
