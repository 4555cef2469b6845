import type { Config, Slot } from "@/lib/config/schema";
import { SLOTS } from "@/lib/config/schema";

export type SlotOrUnknown = Slot | "unknown";
export type Attribution = { service: string; slot: SlotOrUnknown };
export const UNKNOWN_SERVICE = "unknown";

/** The colour live per service at this moment, when known (used for failures nginx answered itself). */
export type LiveSlots = () => Record<string, Slot | undefined>;

/**
 * Builds the function that maps `$upstream_addr` to a service and colour from the configured slot
 * ports. nginx lists every upstream it tried ("a, b", or "a : b" after an internal redirect); the
 * last one answered. An empty address, or an upstream group name (no live servers), is a response
 * nginx made itself: it goes to the live colour of the named (or only) service, else "unknown".
 */
export function buildAttribution(config: Pick<Config, "services">, liveSlots: LiveSlots = () => ({})) {
  const byAddr = new Map<string, Attribution>();
  for (const service of config.services) {
    for (const slot of SLOTS) {
      const port = service.slots[slot].port;
      for (const host of ["127.0.0.1", "localhost", "[::1]"]) byAddr.set(`${host}:${port}`, { service: service.name, slot });
    }
  }
  const names = config.services.map((s) => s.name);
  const cache = new Map<string, Attribution>();

  function nginxAnswered(addr: string): Attribution {
    const service = names.length === 1 ? names[0]! : names.find((n) => addr !== "" && addr.includes(n));
    if (!service) return { service: UNKNOWN_SERVICE, slot: "unknown" };
    return { service, slot: liveSlots()[service] ?? "unknown" };
  }

  return function attribute(upstreamAddr: string): Attribution {
    const hit = cache.get(upstreamAddr);
    if (hit) return hit;
    const last = lastAddress(upstreamAddr);
    const known = byAddr.get(last);
    if (known) {
      if (cache.size < 10_000) cache.set(upstreamAddr, known);
      return known;
    }
    return nginxAnswered(last);
  };
}

export function lastAddress(upstreamAddr: string): string {
  const comma = upstreamAddr.lastIndexOf(", ");
  const colon = upstreamAddr.lastIndexOf(" : ");
  if (comma < 0 && colon < 0) return upstreamAddr.trim();
  return comma > colon ? upstreamAddr.slice(comma + 2).trim() : upstreamAddr.slice(colon + 3).trim();
}
