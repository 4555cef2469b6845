import type { Route } from "@/lib/config/schema";
import { ValidationError } from "@/lib/errors";
import { upstreamName } from "./render-upstream";

export type RoutedService = { name: string; route?: Route };

// Host names and prefixes go into the config unquoted; the config schema checks them too, this is the last line.
const SAFE_PREFIX = /^\/([A-Za-z0-9._~-]+\/)*$/;
const SAFE_HOST = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/**
 * One location sending a service's requests to its upstream. Under a path prefix the prefix is removed on the way
 * (`proxy_pass http://upstream/;`), so the service answers its usual paths; `$proxy_host` (the upstream's name)
 * goes to the access log and attributes each request to its service.
 */
export function renderLocation(service: string, pathPrefix = "/", indent = "        "): string[] {
  if (!SAFE_PREFIX.test(pathPrefix))
    throw new ValidationError(`Path prefix of ${service} must start and end with / and use URL path characters only`);
  const target = pathPrefix === "/" ? `http://${upstreamName(service)}` : `http://${upstreamName(service)}/`;
  return [
    `location ${pathPrefix} {`,
    `    proxy_pass ${target};`,
    `    proxy_http_version 1.1;`,
    `    proxy_set_header Connection "";`,
    `    proxy_set_header Host $host;`,
    `    proxy_set_header X-Real-IP $remote_addr;`,
    `    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`,
    `    proxy_set_header X-Forwarded-Proto $scheme;`,
    ...(pathPrefix === "/" ? [] : [`    proxy_set_header X-Forwarded-Prefix ${pathPrefix.replace(/\/$/, "")};`]),
    `    add_header X-Greenlight-Upstream $upstream_addr always;`,
    `}`,
  ].map((line) => indent + line);
}

function server(listen: string, serverName: string, body: string[]): string[] {
  return [`    server {`, `        listen ${listen};`, `        server_name ${serverName};`, ...body, `    }`];
}

/**
 * The server blocks of every service's route: the load balancer's own port answers the service without a route
 * at / and each path prefix; a host route gets a server block of its own on that port, a listen port its own
 * server. Anything no service claims answers 404 from nginx itself.
 */
export function renderRoutes(services: RoutedService[], listen: { host: string; port: number }): string[] {
  const main: string[] = [];
  const extra: string[][] = [];
  const seen = new Set<string>();
  const claim = (key: string, what: string) => {
    if (seen.has(key)) throw new ValidationError(`Two services share the ${what}`);
    seen.add(key);
  };
  const hasHosts = services.some((s) => s.route && "host" in s.route);
  for (const { name, route } of services) {
    if (!route || "pathPrefix" in route) {
      const prefix = route?.pathPrefix ?? "/";
      claim(`path:${prefix}`, `path prefix ${prefix}`);
      main.push(...renderLocation(name, prefix));
    } else if ("host" in route) {
      if (!SAFE_HOST.test(route.host)) throw new ValidationError(`Host of ${name} must be a lower-case DNS name`);
      claim(`host:${route.host}`, `host ${route.host}`);
      extra.push(server(`${listen.host}:${listen.port}`, route.host, renderLocation(name)));
    } else {
      const port = route.listenPort;
      if (!Number.isInteger(port) || port < 1 || port > 65535 || port === listen.port)
        throw new ValidationError(`Listen port of ${name} must be 1-65535 and not nginx's own`);
      claim(`port:${port}`, `listen port ${port}`);
      extra.push(server(`${listen.host}:${port}`, "_", renderLocation(name)));
    }
  }
  if (!seen.has("path:/")) main.push(`        location / {`, `            return 404;`, `        }`);
  const defaultListen = `${listen.host}:${listen.port}${hasHosts ? " default_server" : ""}`;
  return [...server(defaultListen, "_", main), ...extra.flatMap((block) => ["", ...block])];
}
