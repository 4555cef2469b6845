import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { applyMigrations } from "@/lib/appdb/migrate";
import { pollHealth } from "@/lib/checks/health";
import { runSmokeTests } from "@/lib/checks/smoke";
import { buildContainerOptions } from "@/lib/docker/container-options";
import { containerEnv, removeContainer, runContainer } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import type { PhaseRun } from "./context";
import type { LiveState } from "./live-slot";
import { smokeTestsFor } from "./release-scope";
import { resolvedEnv } from "./phases/start-target";
import { appAnswer, keptSmokeResults, type AppAnswer } from "./app-answer";

/** `answer` is what the live release said on the migrated copy when it failed there; `smoke` its read-only results. */
export type CompatResult = {
  ok: boolean;
  skipped?: string;
  reason?: string;
  applied: string[];
  answer?: AppAnswer;
  smoke?: unknown[];
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Where the container sees the database: the declared volume that holds the file on the host. */
function mountFor(run: PhaseRun, dbPath: string) {
  for (const volume of run.service.container.volumes) {
    const rel = path.relative(volume.host, dbPath);
    if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) return { volume, rel };
  }
  return null;
}

/** The live release is rehearsed with the environment it runs with now, not the one the new release brings. */
async function liveEnv(run: PhaseRun, live: LiveState): Promise<Record<string, string>> {
  if (!live.container) return resolvedEnv(run);
  const entries = (await containerEnv(live.container.id))
    .filter((e) => e.includes("="))
    .map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]);
  return Object.fromEntries(entries);
}

/**
 * The rehearsal, made to prove N-1 compatibility: the pending migrations are applied to a copy of the verified
 * backup, and the live release is started against that copy on a scratch port, where it must pass its health
 * check and its read-only smoke tests. Only then is the real, shared database touched.
 */
export async function rehearseAgainstLive(
  run: PhaseRun,
  live: LiveState,
  migrationsDir: string,
  workDir: string,
  /** Takes the removal of the rehearsal's container, so the verdict need not wait for it (see Rehearsal.cleanup). */
  deferCleanup: (removal: Promise<void>) => void = () => undefined,
): Promise<CompatResult> {
  const db = run.service.database!;
  const backup = run.deployment.backupFile!;
  const mount = mountFor(run, db.path);
  const copyDir = path.join(workDir, "compat");
  const copyFile =
    mount && mount.rel !== "" ? path.join(copyDir, mount.rel) : path.join(copyDir, path.basename(db.path));
  fs.mkdirSync(path.dirname(copyFile), { recursive: true });
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    source.prepare("VACUUM INTO ?").run(copyFile);
  } finally {
    source.close();
  }
  const { applied } = applyMigrations({ dbPath: copyFile, dir: migrationsDir });
  if (!mount || run.service.container.network.mode !== "host" || !live.image || !live.version)
    return {
      ok: true,
      applied,
      skipped: "the live release cannot be started on a copy (needs host networking and a mounted database)",
    };

  const port = await freePort();
  const options = buildContainerOptions({
    service: run.service,
    slot: live.slot,
    image: live.image,
    version: live.version,
    deploymentId: `${run.deployment.id}-compat`,
    env: await liveEnv(run, live),
  });
  options.name = `greenlight-${run.service.name}-compat-${run.deployment.id}`;
  options.Labels = { ...options.Labels, [LABELS.slot]: "compat" };
  options.Env = (options.Env ?? []).map((e) =>
    e.startsWith(`${run.service.container.portEnv}=`) ? `${run.service.container.portEnv}=${port}` : e,
  );
  options.HostConfig = {
    ...options.HostConfig,
    RestartPolicy: { Name: "no" },
    Binds: run.service.container.volumes.map((v) =>
      v === mount.volume
        ? `${mount.rel === "" ? copyFile : copyDir}:${v.container}`
        : `${v.host}:${v.container}${v.readOnly ? ":ro" : ""}`,
    ),
  };
  const { id } = await runContainer(options);
  try {
    const base = `http://127.0.0.1:${port}`;
    const health = await pollHealth({
      url: `${base}${run.service.health.path}`,
      expectedVersion: live.version,
      versionField: run.service.health.versionField,
      firstIntervalMs: 50,
      maxIntervalMs: 1000,
      deadlineMs: Math.min(run.service.health.deadlineSeconds * 1000, 60_000),
      // Once the release answers, the same refusal again and again is its verdict on the schema, not a slow start.
      sameStatusAfter: run.service.health.certainAfter,
      signal: run.signal,
    });
    if (!health.ok)
      return {
        ok: false,
        applied,
        reason: `the live ${live.version} is not healthy on the migrated copy: ${health.reason}`,
        answer: await appAnswer(run.service, health, id),
      };
    const smoke = await runSmokeTests({
      baseUrl: base,
      tests: smokeTestsFor(run.service.smoke, live.version),
      readOnlyOnly: true,
    });
    const failed = smoke.results.filter((r) => !r.ok);
    if (failed.length > 0) {
      const first = failed[0]!;
      return {
        ok: false,
        applied,
        reason: `the live ${live.version} fails ${failed.map((r) => `${r.method} ${r.path} (${r.reason})`).join(", ")} on the migrated copy`,
        answer: await appAnswer(run.service, first, id),
        smoke: keptSmokeResults(run.service, smoke.results),
      };
    }
    return { ok: true, applied };
  } finally {
    deferCleanup(removeContainer(id));
  }
}
