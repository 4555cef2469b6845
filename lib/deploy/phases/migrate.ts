import path from "node:path";
import os from "node:os";
import fs from "node:fs";
import { applyMigrations, pendingMigrations, rehearseMigrations } from "@/lib/appdb/migrate";
import { checkHealthOnce } from "@/lib/checks/health";
import { runSmokeTests } from "@/lib/checks/smoke";
import { PhaseFailure, slotUrl, type PhaseResult, type PhaseRun } from "../context";
import type { LiveState } from "../live-slot";
import { migrationsFor, smokeTestsFor } from "../release-scope";
import { rehearseAgainstLive, type CompatResult } from "../compat-check";
import { appAnswer, keptSmokeResults, type AppAnswer } from "../app-answer";

/** What the rehearsal found: the pending files, and the verdict of the live release on the migrated copy. */
export type Rehearsal = {
  names: string[];
  compat: CompatResult | null;
  error?: string;
  /** Settles once the rehearsal's container and copy are gone: awaited before the gate, or before a failure ends. */
  cleanup: Promise<void>;
};

/**
 * The rehearsal on a copy of the verified backup (with the live release started on it, when one serves). It needs
 * only the backup, so the pipeline starts it as soon as the backup is verified, alongside the target's start; the
 * migrate step then waits for its verdict before the real database is touched. Never rejects.
 */
export function beginRehearsal(run: PhaseRun, live: LiveState | null): Promise<Rehearsal> | null {
  const db = run.service.database;
  const backupFile = run.deployment.backupFile;
  if (!db?.migrations || !backupFile) return null;
  const migrations = db.migrations;
  return (async (): Promise<Rehearsal> => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-rehearsal-"));
    let names: string[] = [];
    // The live release's container on the copy is removed after the verdict, off the pipeline's critical path;
    // the copy it mounted goes after it.
    let removal: Promise<void> = Promise.resolve();
    const verdict = async (): Promise<Omit<Rehearsal, "cleanup">> => {
      try {
        const dir = migrationsFor(migrations, run.deployment.version, workDir).dir;
        names = pendingMigrations(db.path, dir).map((m) => m.name);
        if (names.length === 0) return { names, compat: null };
        if (live?.container?.running)
          return { names, compat: await rehearseAgainstLive(run, live, dir, workDir, (r) => (removal = r)) };
        await rehearseMigrations({ backupFile, dir, workDir: path.join(workDir, "rehearsal") });
        return { names, compat: null };
      } catch (error) {
        return { names, compat: null, error: (error as Error).message };
      }
    };
    const found = await verdict();
    const cleanup = removal
      .catch((error: unknown) =>
        run.log("warn", `The rehearsal's container was not removed: ${(error as Error).message}`),
      )
      .finally(() => fs.rmSync(workDir, { recursive: true, force: true }));
    return { ...found, cleanup };
  })();
}

/**
 * Wait for the rehearsal's verdict, apply for real in one transaction, then prove the live colour still works on
 * the migrated database (both colours share it) before anything else happens.
 */
export async function migrate(
  run: PhaseRun,
  live: LiveState | null,
  rehearsing?: Promise<Rehearsal> | null,
): Promise<PhaseResult> {
  const db = run.service.database;
  if (!db?.migrations) return { status: "skipped", summary: "no migrations folder declared" };
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-migrate-"));
  // A rehearsal begun here is also cleaned up here; the pipeline's own one is awaited by the pipeline.
  const own = rehearsing ? null : beginRehearsal(run, live);
  try {
    const dir = migrationsFor(db.migrations, run.deployment.version, workDir).dir;
    return await migrateIn(run, live, db.path, dir, rehearsing ?? own);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    await (
      await own
    )?.cleanup;
  }
}

async function migrateIn(
  run: PhaseRun,
  live: LiveState | null,
  dbPath: string,
  dir: string,
  rehearsing: Promise<Rehearsal> | null,
): Promise<PhaseResult> {
  const pending = pendingMigrations(dbPath, dir);
  if (pending.length === 0)
    return { status: "skipped", summary: `no pending migrations for ${run.deployment.version}` };
  const names = pending.map((m) => m.name);
  const outcome = rehearsing ? await rehearsing : null;
  const rehearsal = outcome?.compat ?? null;
  if (outcome) {
    if (outcome.error)
      throw new PhaseFailure(`Migration rehearsal on the backup failed, the database is untouched: ${outcome.error}`, {
        kind: "migration_failed",
        pending: names,
      });
    if (outcome.names.join() !== names.join())
      throw new PhaseFailure(
        `The pending migrations changed during the rehearsal (${outcome.names.join(", ")} rehearsed, ${names.join(", ")} pending); nothing was applied.`,
      );
    if (rehearsal && !rehearsal.ok)
      throw new PhaseFailure(`The migration would break the live release, so it was not applied: ${rehearsal.reason}`, {
        kind: "migration_breaks_n1",
        pending: names,
        rehearsal,
      });
    run.log(
      "info",
      `Rehearsed ${names.join(", ")} on a copy of the backup${rehearsal?.ok && !rehearsal.skipped ? `, with the live ${live?.version} passing on it` : ""}`,
    );
  }
  let result;
  try {
    result = applyMigrations({ dbPath, dir });
  } catch (error) {
    throw new PhaseFailure(
      `Migration failed and was rolled back, the database is unchanged: ${(error as Error).message}`,
      { kind: "migration_failed", pending: names },
    );
  }
  const compat = await liveStillWorks(run, live);
  if (!compat.ok)
    throw new PhaseFailure(
      `After the migration the live ${live?.slot} (${live?.version}) no longer works: ${compat.reason}. The backup ${run.deployment.backupFile ?? "(none)"} holds the data from before.`,
      { kind: "migration_breaks_n1", applied: result.applied, compat },
    );
  return {
    status: "passed",
    summary: `Applied ${result.applied.join(", ")}; live ${live?.slot ?? "-"} still healthy on the new schema`,
    detail: { ...result, rehearsal, compat },
  };
}

async function liveStillWorks(
  run: PhaseRun,
  live: LiveState | null,
): Promise<{ ok: boolean; reason?: string; smoke?: unknown; answer?: AppAnswer }> {
  if (!live?.container?.running) return { ok: true, reason: "no live colour" };
  const base = slotUrl(run.service, live.slot);
  const health = await checkHealthOnce({
    url: `${base}${run.service.health.path}`,
    expectedVersion: live.version ?? undefined,
    versionField: run.service.health.versionField,
    requestTimeoutMs: 3000,
  });
  if (!health.ok)
    return {
      ok: false,
      reason: `health: ${health.reason}`,
      answer: await appAnswer(run.service, health, live.container.id),
    };
  const smoke = await runSmokeTests({
    baseUrl: base,
    tests: smokeTestsFor(run.service.smoke, live.version ?? ""),
    readOnlyOnly: true,
  });
  const failed = smoke.results.filter((r) => !r.ok);
  return failed.length === 0
    ? { ok: true, smoke: smoke.results }
    : {
        ok: false,
        reason: failed.map((r) => `${r.method} ${r.path}: ${r.reason}`).join("; "),
        smoke: keptSmokeResults(run.service, smoke.results),
        answer: await appAnswer(run.service, failed[0]!, live.container.id),
      };
}
