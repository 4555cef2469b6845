import type { Route } from "@/lib/config/schema";

export type RouteProbe = { baseUrl: string; hostHeader?: string };

/**
 * Where a user's request for this service enters the load balancer: the load balancer's URL with the route's own
 * port, path prefix (without its last slash, so `base + health.path` is the prefixed path) or Host header.
 */
export function routeProbe(lbUrl: string, route: Route | undefined): RouteProbe {
  const url = new URL(lbUrl);
  if (route && "listenPort" in route) url.port = String(route.listenPort);
  const prefix = route && "pathPrefix" in route ? route.pathPrefix.replace(/\/$/, "") : "";
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, "")}${prefix}`;
  return route && "host" in route ? { baseUrl, hostHeader: route.host } : { baseUrl };
}
