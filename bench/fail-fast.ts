/**
 * Fail fast: time from the deploy call to the recorded failure (the failing phase's end) for two releases whose
 * failure is certain early, with today's defaults (300 s health deadline, the rehearsal's 60 s cap):
 * - wrong version: an image tagged 2.0.5 that is really 1.9.0 (a copy of 1.9.0 under this benchmark's own name);
 * - broken N-1: 2.0.0 with a migration that renames a column 1.9.0 reads.
 * Each run starts from blue 1.9.0 on a fresh app database. Targets: <= 3 s and <= 5 s (the seed: 300 s and 60 s).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocker } from "@/lib/docker/client";
import { listSteps } from "@/lib/deploy/store";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { openBenchStack, resetToBlue, type BenchStack } from "./support/bench-stack";
import { median, ms, printTable } from "./support/stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MISTAGGED = "privatetrade:2.0.5-bench";
const BREAK = "002_break_v1.sql";

type Run = { failedMs: number; doneMs: number; phase: string; kind: string };

async function timedFailure(stack: BenchStack, image: string): Promise<Run> {
  const t0 = Date.now();
  const started = await startDeployment(stack.ctx, { service: stack.service.name, image, autoPromote: true }, "bench");
  if (started.noop) throw new Error(`unexpected no-op: ${started.message}`);
  await started.pipeline;
  const doneMs = Date.now() - t0;
  const dep = getDeployment(stack.ctx.db, started.deploymentId);
  if (dep.status !== "failed") throw new Error(`${image} ended ${dep.status}, expected failed`);
  const failed = listSteps(stack.ctx.db, dep.id).find((s) => s.status === "failed");
  if (!failed?.endedAt) throw new Error(`${image}: no failed step recorded`);
  return {
    failedMs: failed.endedAt - t0,
    doneMs,
    phase: failed.phase,
    kind: String((failed.detail as { kind?: string } | null)?.kind),
  };
}

export default async function failFast(): Promise<void> {
  const migrations = fs.mkdtempSync(path.join(os.tmpdir(), "gl-bench-ff-"));
  fs.copyFileSync(
    path.join(REPO_ROOT, "examples/privatetrade/migrations/001_add_specific_stock_selection.sql"),
    path.join(migrations, "001_add_specific_stock_selection.sql"),
  );
  const stack = await openBenchStack("gl-bench-failfast", 48060, (svc) => {
    svc.database!.migrations = migrations;
    svc.health.deadlineSeconds = 300;
    svc.container.stopGraceSeconds = 2;
  });
  await getDocker()
    .getImage("privatetrade:1.9.0")
    .tag({ repo: "privatetrade", tag: MISTAGGED.split(":")[1] });
  const wrong: Run[] = [];
  const n1: Run[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      await resetToBlue(stack);
      wrong.push(await timedFailure(stack, MISTAGGED));
      console.error(
        `[fail-fast] wrong version ${i + 1}/${RUNS}: failed in ${wrong.at(-1)!.phase} (${wrong.at(-1)!.kind}) after ${ms(wrong.at(-1)!.failedMs)}`,
      );
    }
    fs.writeFileSync(
      path.join(migrations, BREAK),
      "-- greenlight:since 2.0.0\nALTER TABLE config RENAME COLUMN value TO config_value;\n",
    );
    for (let i = 0; i < RUNS; i++) {
      await resetToBlue(stack);
      n1.push(await timedFailure(stack, "privatetrade:2.0.0"));
      console.error(
        `[fail-fast] broken N-1 ${i + 1}/${RUNS}: failed in ${n1.at(-1)!.phase} (${n1.at(-1)!.kind}) after ${ms(n1.at(-1)!.failedMs)}`,
      );
    }
  } finally {
    await stack.cleanup();
    await getDocker()
      .getImage(MISTAGGED)
      .remove()
      .catch(() => undefined);
    fs.rmSync(migrations, { recursive: true, force: true });
  }
  const row = (name: string, runs: Run[], seedS: number, targetS: number) => {
    const f = runs.map((r) => r.failedMs);
    return [
      name,
      ms(median(f)),
      ms(Math.min(...f)),
      ms(Math.max(...f)),
      ms(median(runs.map((r) => r.doneMs))),
      `${seedS} s`,
      `<= ${targetS} s`,
    ];
  };
  printTable(
    [`deploy -> recorded failure (${RUNS} runs)`, "median", "min", "max", "with cleanup", "seed", "target"],
    [row("wrong version (health)", wrong, 300, 3), row("migration breaks N-1 (migrate)", n1, 60, 5)],
  );
  const w = median(wrong.map((r) => r.failedMs)) / 1000;
  const b = median(n1.map((r) => r.failedMs)) / 1000;
  console.log(
    `targets: wrong version ${w <= 3 ? "met" : "missed"}, broken N-1 ${b <= 5 ? "met" : "missed"}; ratio to the seed ${(w / 300).toFixed(4)} and ${(b / 60).toFixed(4)}`,
  );
  console.log(`wrong_version_s=${w.toFixed(2)} n1_break_s=${b.toFixed(2)}`);
}
