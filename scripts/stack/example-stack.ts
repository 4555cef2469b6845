import fs from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { parseConfig } from "@/lib/config/load";
import type { Config, Route, ServiceConfig } from "@/lib/config/schema";
import { openDb } from "@/lib/db/client";
import type { EngineContext } from "@/lib/deploy/context";
import { renderMainConfig } from "@/lib/nginx/render-main-config";
import { startNginx, stopNginx } from "@/lib/nginx/nginx-ctl";
import { writeUpstreamFile } from "@/lib/nginx/switch-upstream";
import { getDocker } from "@/lib/docker/client";
import { findContainers, removeContainer } from "@/lib/docker/containers";
import { initDb } from "@/examples/privatetrade/src/init-db";
import { LABELS } from "@/lib/docker/labels";
import Database from "better-sqlite3";

function ownDeploymentIds(dbFile: string): Set<string> {
  if (!fs.existsSync(dbFile)) return new Set();
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare("SELECT id FROM deployments").all() as Array<{ id: string }>).map((r) => r.id));
  } finally {
    db.close();
  }
}

/** A deployment's containers carry its id; the migration rehearsal's carry the id with `-compat`. */
function isOurs(ours: Set<string>, deploymentLabel: string | undefined): boolean {
  const id = deploymentLabel ?? "";
  return ours.has(id) || ours.has(id.replace(/-compat$/, ""));
}

/**
 * Removes containers of the service that this stack's database knows nothing of and that were set to listen on
 * one of its slot ports: those would answer in its place. Another stack of the same name on other ports (the demo
 * beside the e2e run) is left alone. Returns their names.
 */
async function removeForeignContainers(service: ServiceConfig, dbFile: string): Promise<string[]> {
  const ours = ownDeploymentIds(dbFile);
  const ports = new Set(
    [service.slots.blue.port, service.slots.green.port].map((p) => `${service.container.portEnv}=${p}`),
  );
  const foreign: string[] = [];
  for (const c of await findContainers({ service: service.name, all: true })) {
    if (isOurs(ours, c.labels[LABELS.deployment])) continue;
    const env = (await getDocker().getContainer(c.id).inspect()).Config.Env ?? [];
    if (!env.some((e) => ports.has(e))) continue;
    await removeContainer(c.id);
    foreign.push(c.name);
  }
  if (foreign.length > 0)
    console.error(
      `[stack] removed ${foreign.length} container(s) of ${service.name} left on its ports by an interrupted run: ${foreign.join(", ")}`,
    );
  return foreign;
}

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const EXAMPLE_CONFIG = path.join(REPO_ROOT, "examples/privatetrade/greenlight.yaml");

export type ExampleStackOptions = {
  /** A directory the stack owns: config, nginx files, the app database and Greenlight's data live in it. */
  root: string;
  lbPort: number;
  bluePort: number;
  greenPort: number;
  /** Service name; tests use unique names so their containers never meet. */
  service?: string;
  /** Changes to the example service's settings (plain YAML object) before validation. */
  adjust?: (service: Record<string, any>) => void;
  /**
   * Remove containers of this service on this stack's ports that no deployment in its database made. For stacks
   * that start from nothing (tests, benchmarks, e2e, the demo): a run killed before its clean-up leaves containers
   * behind, Docker restarts them with the engine, and the next run would find a stranger serving on its ports.
   */
  sweepOrphans?: boolean;
  /**
   * More services behind the same nginx, each made from the example's second service (privatetrade-lab) with its
   * own ports, app database and route (the example's /lab/ prefix when not given). `adjust` applies to them too.
   */
  more?: Array<{ service: string; bluePort: number; greenPort: number; route?: Route }>;
  /** Registries to pull from (greenlight.yaml's `registries:`), e.g. the local test registry. */
  registries?: Array<Record<string, unknown>>;
};

export type ExampleStack = {
  root: string;
  configFile: string;
  config: Config;
  service: ServiceConfig;
  /** Every service of the stack, `service` first. */
  services: ServiceConfig[];
  dataDir: string;
  appDbPath: string;
  lbUrl: string;
  ctx: EngineContext;
  /** Stops nginx and removes the service's containers; the root directory is left for the caller. */
  stop: () => Promise<void>;
};

/**
 * The example service's whole stack on loopback: greenlight.yaml derived from the shipped example, the app's
 * SQLite database with its four rows, Greenlight's nginx with an upstream pointing at blue, and an engine context.
 */
export async function createExampleStack(options: ExampleStackOptions): Promise<ExampleStack> {
  const root = path.resolve(options.root);
  const dirs = { nginx: path.join(root, "nginx"), app: path.join(root, "app"), data: path.join(root, "data") };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const appDbPath = path.join(dirs.app, "backtest.db");
  if (!fs.existsSync(appDbPath)) initDb(appDbPath);

  const doc = parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8")) as Record<string, any>;
  const lbUrl = `http://127.0.0.1:${options.lbPort}`;
  doc.nginx = {
    binary: "nginx",
    mainConfig: path.join(dirs.nginx, "nginx.conf"),
    upstreamDir: path.join(dirs.nginx, "upstreams"),
    accessLog: path.join(dirs.nginx, "access.log"),
    lbUrl,
  };
  if (options.registries) doc.registries = options.registries;
  const svc = doc.services[0] as Record<string, any>;
  svc.name = options.service ?? "privatetrade";
  svc.slots = { blue: { port: options.bluePort }, green: { port: options.greenPort } };
  svc.container.volumes = [{ host: dirs.app, container: "/app/data" }];
  svc.database.path = appDbPath;
  svc.database.migrations = path.join(REPO_ROOT, "examples/privatetrade/migrations");
  svc.preflight.minFreeDiskMb = 100;
  options.adjust?.(svc);
  const template = (doc.services[1] ?? svc) as Record<string, any>;
  doc.services = [svc];
  for (const more of options.more ?? []) {
    const appDir = path.join(root, `app-${more.service}`);
    fs.mkdirSync(appDir, { recursive: true });
    const dbPath = path.join(appDir, "backtest.db");
    if (!fs.existsSync(dbPath)) initDb(dbPath);
    const extra = structuredClone(template);
    extra.name = more.service;
    extra.slots = { blue: { port: more.bluePort }, green: { port: more.greenPort } };
    if (more.route) extra.route = more.route;
    extra.container.volumes = [{ host: appDir, container: "/app/data" }];
    extra.database = {
      ...extra.database,
      path: dbPath,
      migrations: path.join(REPO_ROOT, "examples/privatetrade/migrations"),
    };
    extra.preflight = { ...extra.preflight, minFreeDiskMb: 100 };
    extra.watch ??= {};
    extra.health ??= {};
    options.adjust?.(extra);
    doc.services.push(extra);
  }
  const configFile = path.join(root, "greenlight.yaml");
  fs.writeFileSync(configFile, stringify(doc));
  const config = parseConfig(fs.readFileSync(configFile, "utf8"), configFile);
  const service = config.services[0]!;

  fs.mkdirSync(config.nginx.upstreamDir, { recursive: true });
  fs.writeFileSync(
    config.nginx.mainConfig,
    renderMainConfig({
      prefix: dirs.nginx,
      listen: { host: "127.0.0.1", port: options.lbPort },
      upstreamDir: config.nginx.upstreamDir,
      accessLog: config.nginx.accessLog!,
      errorLog: path.join(dirs.nginx, "error.log"),
      services: config.services.map((s) => ({ name: s.name, route: s.route })),
      workerProcesses: 1,
    }),
  );
  for (const s of config.services) {
    if (!fs.existsSync(path.join(config.nginx.upstreamDir, `${s.name}.conf`)))
      writeUpstreamFile({
        upstreamDir: config.nginx.upstreamDir,
        service: s.name,
        slot: "blue",
        port: s.slots.blue.port,
      });
    if (options.sweepOrphans) await removeForeignContainers(s, path.join(dirs.data, "greenlight.db"));
  }
  await startNginx(config.nginx);

  const ctx: EngineContext = { db: openDb(path.join(dirs.data, "greenlight.db")), config, dataDir: dirs.data };
  return {
    root,
    configFile,
    config,
    service,
    services: config.services,
    dataDir: dirs.data,
    appDbPath,
    lbUrl,
    ctx,
    stop: async () => {
      await stopNginx(config.nginx).catch(() => false);
      // Only containers this stack's own deployments created: another stack may run a service of the same name.
      const ours = ownDeploymentIds(path.join(dirs.data, "greenlight.db"));
      for (const s of config.services)
        for (const c of await findContainers({ service: s.name, all: true })) {
          if (isOurs(ours, c.labels[LABELS.deployment])) await removeContainer(c.id);
        }
      if (ctx.db.$client.open) ctx.db.$client.close();
    },
  };
}
