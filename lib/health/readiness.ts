import type { Db } from "@/lib/db/client";
import type { EngineContext } from "@/lib/deploy/context";
import { ENGINE_LEASE, engineState } from "@/lib/deploy/engine";
import { INSTANCE, readLease } from "@/lib/deploy/lease";
import { pingDocker } from "@/lib/docker/client";
import { collectorStatus, collectorsRunning } from "@/lib/metrics/collector-status";
import { masterPid } from "@/lib/nginx/nginx-ctl";

export type CheckName = "engine" | "database" | "docker" | "nginx" | "collectors";
export type Check = { ok: boolean; detail: string };
export type Readiness = { ready: boolean; checks: Record<CheckName, Check> };

const DOCKER_TIMEOUT_MS = 2_000;

const pass = (detail: string): Check => ({ ok: true, detail });
const fail = (detail: string): Check => ({ ok: false, detail });

/** This process drives deployments: it holds the unexpired engine lease and has recovered what was interrupted. */
export function checkEngine(db: Db, now = Date.now()): Check {
  const lease = readLease(db, ENGINE_LEASE);
  if (lease && lease.instance === INSTANCE && lease.expiresAt > now)
    return engineState().recovered
      ? pass(`this process (pid ${process.pid}) holds the engine lease and drives deployments`)
      : fail(
          `this process (pid ${process.pid}) holds the engine lease, but its recovery after start-up has not finished; it retries every 5 s (the server log says why)`,
        );
  if (process.env.GREENLIGHT_ENGINE === "off")
    return fail("the engine is switched off in this process (GREENLIGHT_ENGINE=off); it serves the console only");
  if (lease && lease.expiresAt > now)
    return fail(
      `another Greenlight process (pid ${lease.ownerPid}) holds the engine lease; this one is a standby and takes over when that one stops`,
    );
  return fail("no process holds the engine lease yet; the engine is starting or stopped (see the server log)");
}

/** A real write, committed: the file is writable, the disk takes it and no other writer holds the lock for long. */
export function checkDatabase(db: Db): Check {
  try {
    const sqlite = db.$client;
    sqlite
      .transaction(() => {
        const version = sqlite.pragma("user_version", { simple: true }) as number;
        sqlite.pragma(`user_version = ${Number(version) | 0}`);
      })
      .immediate();
    return pass("Greenlight's SQLite database takes writes");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return fail(
      `Greenlight's SQLite database refused a write (${typeof code === "string" ? code : "unknown error"}); check the disk, the file's permissions and the server log`,
    );
  }
}

/** The Docker engine answers a ping within two seconds. */
export async function checkDocker(timeoutMs = DOCKER_TIMEOUT_MS): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const answer = await Promise.race([pingDocker().then(() => "ok" as const), timeout]);
    if (answer === "timeout")
      return fail(`the Docker engine did not answer within ${timeoutMs / 1000} s; is dockerd overloaded or stuck?`);
    return pass("the Docker engine answers");
  } catch {
    return fail("the Docker engine is unreachable; is dockerd running, and does DOCKER_HOST name its socket?");
  } finally {
    clearTimeout(timer);
  }
}

/** nginx's master process named by the pid file of the configured main config is alive. */
export function checkNginx(nginx: EngineContext["config"]["nginx"]): Check {
  try {
    const pid = masterPid(nginx);
    if (pid !== null) return pass(`nginx is running (master pid ${pid})`);
    return fail("nginx is not running: no live master process in the pid file of nginx.mainConfig; start nginx");
  } catch {
    return fail("nginx.mainConfig cannot be read, so nginx's pid file is unknown; check the path in greenlight.yaml");
  }
}

/** The metric collectors run in this process and none of them is failing again and again. */
export function checkCollectors(): Check {
  if (!collectorsRunning())
    return fail("the metric collectors are not running in this process (they run where the engine drives)");
  const failing = Object.entries(collectorStatus())
    .filter(([, h]) => h.state === "error")
    .map(([name, h]) => `${name} (${h.consecutiveErrors} failures in a row)`);
  if (failing.length > 0)
    return fail(`metric collector(s) failing: ${failing.join(", ")}; the server log names the cause`);
  return pass("the metric collectors are running");
}

/** Every readiness check of this process; ready only when all pass. Never includes secrets or raw errors. */
export async function checkReadiness(ctx: Pick<EngineContext, "db" | "config">): Promise<Readiness> {
  const docker = checkDocker();
  const checks: Record<CheckName, Check> = {
    engine: checkEngine(ctx.db),
    database: checkDatabase(ctx.db),
    docker: await docker,
    nginx: checkNginx(ctx.config.nginx),
    collectors: checkCollectors(),
  };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
