import fs from "node:fs";
import path from "node:path";
import type { SmokeTest } from "@/lib/config/schema";

/** Orders dotted versions numerically where both parts are numbers (1.10.0 > 1.9.0), else by text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "0";
    const y = pb[i] ?? "0";
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

const SINCE = /^--\s*greenlight:since\s+(\S+)/m;

/** The release a migration file came with, from its `-- greenlight:since X` line; none means every release. */
export function migrationSince(sql: string): string | null {
  return SINCE.exec(sql)?.[1] ?? null;
}

/** Smoke tests that apply to a release: those without minVersion, and those whose minVersion it has reached. */
export function smokeTestsFor(tests: SmokeTest[], version: string): SmokeTest[] {
  return tests.filter((t) => !t.minVersion || compareVersions(version, t.minVersion) >= 0);
}

/**
 * The migrations folder as a release sees it: files introduced by later releases are left out, so deploying an
 * older release (a rollback redeploy, a first install) never applies a newer schema. Returns `dir` itself when
 * every file applies, else a folder under `workDir` with copies of those that do.
 */
export function migrationsFor(dir: string, version: string, workDir: string): { dir: string; skipped: string[] } {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const skipped = files.filter((f) => {
    const since = migrationSince(fs.readFileSync(path.join(dir, f), "utf8"));
    return since !== null && compareVersions(version, since) < 0;
  });
  if (skipped.length === 0) return { dir, skipped };
  const scoped = path.join(workDir, "migrations");
  fs.mkdirSync(scoped, { recursive: true });
  for (const f of files) if (!skipped.includes(f)) fs.copyFileSync(path.join(dir, f), path.join(scoped, f));
  return { dir: scoped, skipped };
}
