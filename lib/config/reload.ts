import { isDeepStrictEqual } from "node:util";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/deploy/audit-verb";
import type { EngineContext } from "@/lib/deploy/context";
import { UNFINISHED_STATUSES } from "@/lib/db/schema/deployment-states";
import { findContainers } from "@/lib/docker/containers";
import { logger } from "@/lib/log";
import { processWide } from "@/lib/process-wide";
import { ConfigError, configPath, loadConfig, replaceConfig } from "./load";
import type { Config } from "./schema";

const log = logger("config");

/** A service gone from greenlight.yaml that still has containers or an unfinished deployment: handled by a person. */
export type OrphanedService = { service: string; containers: string[]; unfinished: string[]; unknown?: string };

export type ReloadOutcome =
  | { ok: true; file: string; changes: string[]; orphaned: OrphanedService[] }
  | { ok: false; file: string; problems: string[] };

/** Who asked: a person (settings page) or the operator's SIGHUP (`systemctl reload greenlight`). */
export type ReloadBy = Actor | "SIGHUP";

type ConfigUser = (next: Config) => void | Promise<void>;
const users = processWide("config-users", () => new Set<ConfigUser>());

/** Things built from the config at start (notifier, collectors, outbox worker) rebuild themselves on a reload. */
export function onConfigReloaded(user: ConfigUser): () => void {
  users.add(user);
  return () => users.delete(user);
}

/** What changed, in words for the log, the audit row and the page: sections and services, never values. */
export function describeChanges(before: Config, after: Config): string[] {
  const changes: string[] = [];
  const names = (c: Config) => c.services.map((s) => s.name);
  for (const name of names(after).filter((n) => !names(before).includes(n))) changes.push(`service ${name} added`);
  for (const name of names(before).filter((n) => !names(after).includes(n))) changes.push(`service ${name} removed`);
  for (const service of after.services) {
    const old = before.services.find((s) => s.name === service.name);
    if (!old) continue;
    const keys = (Object.keys(service) as Array<keyof typeof service>).filter(
      (k) => !isDeepStrictEqual(service[k], old[k]),
    );
    if (keys.length > 0) changes.push(`service ${service.name}: ${keys.join(", ")} changed`);
  }
  const sections = (Object.keys(after) as Array<keyof Config>).filter(
    (k) => k !== "services" && !isDeepStrictEqual(after[k], before[k]),
  );
  if (sections.length > 0) changes.push(`${sections.join(", ")} changed`);
  return changes;
}

/**
 * Services this console has deployed that the config no longer declares, with what still runs or is unfinished
 * of them. Docker unreachable is said (`unknown`), never taken as "nothing runs".
 */
export async function orphanedServices(ctx: Pick<EngineContext, "db" | "config">): Promise<OrphanedService[]> {
  const declared = new Set(ctx.config.services.map((s) => s.name));
  const known = ctx.db.$client.prepare("SELECT DISTINCT service FROM deployments").pluck().all() as string[];
  const unfinished = ctx.db.$client
    .prepare(`SELECT service, id FROM deployments WHERE status IN (${UNFINISHED_STATUSES.map(() => "?").join(", ")})`)
    .all(...UNFINISHED_STATUSES) as Array<{ service: string; id: string }>;
  const orphaned: OrphanedService[] = [];
  for (const service of known.filter((name) => !declared.has(name))) {
    const entry: OrphanedService = {
      service,
      containers: [],
      unfinished: unfinished.filter((d) => d.service === service).map((d) => d.id),
    };
    try {
      entry.containers = (await findContainers({ service })).map((c) => c.name);
    } catch (error) {
      entry.unknown = `Docker did not answer: ${(error as Error).message}`;
    }
    if (entry.containers.length > 0 || entry.unfinished.length > 0 || entry.unknown) orphaned.push(entry);
  }
  return orphaned;
}

function auditActor(by: ReloadBy) {
  return by === "SIGHUP"
    ? { actor: "greenlight", role: null, sourceIp: null, userAgent: null, via: "SIGHUP" }
    : {
        actor: by.username,
        role: by.role,
        sourceIp: by.sourceIp ?? null,
        userAgent: by.userAgent ?? null,
        via: by.via,
      };
}

let reloading: Promise<ReloadOutcome> | null = null;

/**
 * Reads greenlight.yaml again. A file that does not validate changes nothing and says which field is wrong; a valid
 * one becomes the config of every deployment that starts afterwards, while a deployment already under way keeps the
 * service config it started with (recorded on it). Logged and audited either way. Two reloads at once run one after
 * the other.
 */
export async function reloadConfig(
  ctx: EngineContext,
  by: ReloadBy,
  file: string = configPath(),
): Promise<ReloadOutcome> {
  const previous = reloading;
  const run = (async () => {
    await previous?.catch(() => undefined);
    return reloadNow(ctx, by, file);
  })();
  reloading = run;
  try {
    return await run;
  } finally {
    if (reloading === run) reloading = null;
  }
}

async function reloadNow(ctx: EngineContext, by: ReloadBy, file: string): Promise<ReloadOutcome> {
  const who = auditActor(by);
  const audit = (outcome: "ok" | "failed", reason: string, details: Record<string, unknown>) =>
    recordAudit(ctx.db, {
      actor: who.actor,
      role: who.role,
      sourceIp: who.sourceIp,
      userAgent: who.userAgent,
      action: "config.reload",
      target: `config:${file}`,
      outcome,
      reason,
      details: { via: who.via, ...details },
    });
  let next: Config;
  try {
    next = loadConfig(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error(
      { problems: error.problems, by: who.actor },
      `config reload refused, the running config stays: ${error.message}`,
    );
    audit("failed", `The running config stays: ${error.problems.join("; ")}`, { problems: error.problems });
    return { ok: false, file, problems: error.problems };
  }
  const changes = describeChanges(ctx.config, next);
  ctx.config = next;
  replaceConfig(next);
  for (const user of users) {
    try {
      await user(next);
    } catch (error) {
      log.error({ err: error }, `applying the reloaded config failed: ${(error as Error).message}`);
    }
  }
  const orphaned = await orphanedServices(ctx);
  const said = changes.length > 0 ? changes.join("; ") : "no changes";
  log.info({ changes, orphaned: orphaned.map((o) => o.service), by: who.actor }, `config reloaded: ${said}`);
  const gone = orphaned.map((o) => o.service);
  audit("ok", `Reloaded: ${said}${gone.length > 0 ? `; orphaned: ${gone.join(", ")}` : ""}`, {
    changes,
    orphaned: gone,
  });
  return { ok: true, file, changes, orphaned };
}
