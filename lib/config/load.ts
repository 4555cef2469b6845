import { processSlot, processWide } from "@/lib/process-wide";
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { configSchema, type Config, type ServiceConfig } from "./schema";

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

// Keys come from the file (env names, for one): anything but a plain name is quoted, so a key with a newline or
// control characters cannot break the message into lines that look like Greenlight's own.
const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

function fieldPath(issuePath: readonly PropertyKey[]): string {
  return issuePath.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    const name = String(key);
    if (!PLAIN_KEY.test(name)) return `${acc}[${JSON.stringify(name.slice(0, 100))}]`;
    return acc ? `${acc}.${name}` : name;
  }, "");
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${fieldPath(issue.path) || "(top level)"}: ${issue.message}`);
}

/** Parses and validates YAML text; services get their names checked for duplicates and port clashes. */
export function parseConfig(text: string, file = "greenlight.yaml"): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => `YAML: ${e.message}`),
    );
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  const problems: string[] = [];
  const names = new Set<string>();
  const ports = new Map<number, string>();
  result.data.services.forEach((service, i) => {
    if (names.has(service.name)) problems.push(`services[${i}].name: "${service.name}" is declared twice`);
    names.add(service.name);
    for (const slot of ["blue", "green"] as const) {
      const port = service.slots[slot].port;
      const owner = ports.get(port);
      if (owner) problems.push(`services[${i}].slots.${slot}.port: ${port} is already used by ${owner}`);
      ports.set(port, `${service.name}.${slot}`);
    }
  });
  problems.push(...routeClashes(result.data, ports));
  const backends = new Map<string, string>();
  result.data.services.forEach((service, i) => {
    if (service.traffic?.driver !== "haproxy") return;
    const key = `${service.traffic.socket} ${service.traffic.backend}`;
    const owner = backends.get(key);
    if (owner)
      problems.push(
        `services[${i}].traffic.backend: "${service.traffic.backend}" on ${service.traffic.socket} is already ${owner}'s`,
      );
    backends.set(key, service.name);
  });
  const hosts = new Set<string>();
  result.data.registries.forEach((registry, i) => {
    if (hosts.has(registry.host)) problems.push(`registries[${i}].host: "${registry.host}" is declared twice`);
    hosts.add(registry.host);
    const allowed = result.data.docker.allowedRegistries;
    if (allowed.length > 0 && !allowed.includes(registry.host))
      problems.push(
        `registries[${i}].host: "${registry.host}" is not in docker.allowedRegistries (${allowed.join(", ")}); add it there or remove it here`,
      );
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return resolvePaths(result.data, path.dirname(path.resolve(file)));
}

/** Two services may not claim the same route; a listen port may not be a slot's or the load balancer's own. */
function routeClashes(config: Config, slotPorts: Map<number, string>): string[] {
  const problems: string[] = [];
  const claimed = new Map<string, string>();
  const lbPort = Number(new URL(config.nginx.lbUrl).port || (config.nginx.lbUrl.startsWith("https:") ? 443 : 80));
  config.services.forEach((service, i) => {
    const route = service.route;
    const field = route ? `services[${i}].route.${Object.keys(route)[0]}` : `services[${i}].route`;
    let key: string;
    let what: string;
    if (!route || ("pathPrefix" in route && route.pathPrefix === "/")) {
      key = "path:/";
      what = route
        ? "path prefix /"
        : "the default route (path / on the load balancer; a service without a route gets it)";
    } else if ("pathPrefix" in route) {
      key = `path:${route.pathPrefix}`;
      what = `path prefix ${route.pathPrefix}`;
    } else if ("host" in route) {
      key = `host:${route.host}`;
      what = `host ${route.host}`;
    } else {
      key = `port:${route.listenPort}`;
      what = `listen port ${route.listenPort}`;
      const slot = slotPorts.get(route.listenPort);
      if (slot) problems.push(`${field}: ${route.listenPort} is already used by ${slot}`);
      if (route.listenPort === lbPort)
        problems.push(
          `${field}: ${route.listenPort} is the load balancer's own port (nginx.lbUrl); leave the route out to use it`,
        );
    }
    const owner = claimed.get(key);
    if (owner)
      problems.push(
        `${field}: ${what} is already the route of ${owner}; give each service its own host, pathPrefix or listenPort`,
      );
    else claimed.set(key, service.name);
  });
  return problems;
}

function resolvePaths(config: Config, base: string): Config {
  const abs = (p: string) => path.resolve(base, p);
  return {
    ...config,
    nginx: {
      ...config.nginx,
      mainConfig: abs(config.nginx.mainConfig),
      upstreamDir: abs(config.nginx.upstreamDir),
      accessLog: config.nginx.accessLog ? abs(config.nginx.accessLog) : undefined,
    },
    selfBackup: { ...config.selfBackup, dir: config.selfBackup.dir ? abs(config.selfBackup.dir) : undefined },
    services: config.services.map((s) => ({
      ...s,
      container: { ...s.container, volumes: s.container.volumes.map((v) => ({ ...v, host: abs(v.host) })) },
      database: s.database && {
        ...s.database,
        path: abs(s.database.path),
        migrations: s.database.migrations ? abs(s.database.migrations) : undefined,
      },
    })),
  };
}

/** The file Greenlight reads: GREENLIGHT_CONFIG, else greenlight.yaml in the working directory. */
export function configPath(): string {
  return path.resolve(process.env.GREENLIGHT_CONFIG ?? "greenlight.yaml");
}

export function loadConfig(file: string = configPath()): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  return parseConfig(text, file);
}

/** The process-wide configuration: loaded on first use, replaced by a reload (lib/config/reload.ts). */
export function getConfig(): Config {
  return processWide("config", () => loadConfig());
}

/** After a reload validated the file: what getConfig() answers from now on. */
export function replaceConfig(next: Config): void {
  processSlot<Config>("config").set(next);
}
