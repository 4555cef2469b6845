import type { Config, Slot } from "@/lib/config/schema";
import { SLOTS } from "@/lib/config/schema";
import { upstreamName } from "@/lib/nginx/render-upstream";

export type SlotOrUnknown = Slot | "unknown";
export type Attribution = { service: string; slot: SlotOrUnknown };
export const UNKNOWN_SERVICE = "unknown";

/** The colour live per service at this moment, when known (used for failures nginx answered itself). */
export type LiveSlots = () => Record<string, Slot | undefined>;

/**
 * Builds the function that maps a request to a service and colour. The service comes from the upstream's name
 * (`$proxy_host`, `greenlight_<service>`) when the log has it, else from the slot port in `$upstream_addr`;
 * the colour from the slot port. nginx lists every upstream it tried ("a, b", or "a : b" after an internal
 * redirect); the last one answered. An empty address, or an upstream group name (no live servers), is a response
 * nginx made itself: it goes to the live colour of the named (or only) service, else "unknown".
 */
export function buildAttribution(config: Pick<Config, "services">, liveSlots: LiveSlots = () => ({})) {
  const byAddr = new Map<string, Attribution>();
  for (const service of config.services) {
    for (const slot of SLOTS) {
      const port = service.slots[slot].port;
      for (const host of ["127.0.0.1", "localhost", "[::1]"])
        byAddr.set(`${host}:${port}`, { service: service.name, slot });
    }
  }
  const names = config.services.map((s) => s.name);
  const byUpstream = new Map(names.map((n) => [upstreamName(n), n]));
  const cache = new Map<string, Attribution>();

  function nginxAnswered(service: string | undefined): Attribution {
    if (!service) return { service: UNKNOWN_SERVICE, slot: "unknown" };
    return { service, slot: liveSlots()[service] ?? "unknown" };
  }

  return function attribute(upstreamAddr: string, upstream = ""): Attribution {
    const key = upstream === "" ? upstreamAddr : `${upstream}|${upstreamAddr}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const last = lastAddress(upstreamAddr);
    const named = byUpstream.get(upstream);
    const known = byAddr.get(last);
    if (known && (named === undefined || known.service === named)) {
      if (cache.size < 10_000) cache.set(key, known);
      return known;
    }
    if (named) return nginxAnswered(named);
    return nginxAnswered(names.length === 1 ? names[0] : byUpstream.get(last));
  };
}

export function lastAddress(upstreamAddr: string): string {
  const comma = upstreamAddr.lastIndexOf(", ");
  const colon = upstreamAddr.lastIndexOf(" : ");
  if (comma < 0 && colon < 0) return upstreamAddr.trim();
  return comma > colon ? upstreamAddr.slice(comma + 2).trim() : upstreamAddr.slice(colon + 3).trim();
}
