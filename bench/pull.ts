/**
 * A deployment of a release that must be pulled from the local registry (a ~50 MB layer the engine does not have),
 * from the deploy call to the target healthy, against the same steps by hand in one process: pull with the same
 * credentials, apply 2.0.0's migration, create and start the container, poll its health. Alternating runs; the pulled image is removed
 * before each run so every run really downloads it. Last line: pull_ratio=<greenlight median / by-hand median>.
 */
import { startDeployment } from "@/lib/deploy/start-deployment";
import { abortDeployment } from "@/lib/deploy/abort";
import { getDeployment, listSteps } from "@/lib/deploy/store";
import { buildContainerOptions } from "@/lib/docker/container-options";
import { findContainers, removeContainer, runContainer } from "@/lib/docker/containers";
import { pullImage } from "@/lib/docker/pull";
import { pushImage } from "@/lib/docker/push";
import { pushPullableRelease, removeLocalImages, testRegistry } from "@/lib/docker/registry-test-fixture";
import { resolvedEnv } from "@/lib/deploy/phases/start-target";
import { checkHealthOnce } from "@/lib/checks/health";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { openBenchStack, resetToBlue, type BenchStack } from "./support/bench-stack";
import { median, ms, phaseDurations, phaseMedians, printTable } from "./support/stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BASE_PORT = 47650;
const SERVICE = "gl-bench-pull";
const BALLAST = Number(process.env.BENCH_PULL_MB ?? 50) * 1_000_000;
const PASSWORD_ENV = "GL_BENCH_PULL_REGISTRY_PASSWORD";
const registry = testRegistry();
const REPO = `${registry.host}/gl-bench-pull/privatetrade`;

/** Blue 1.9.0 live (its image stays local), green empty, a fresh app database, and 2.0.0 not on the engine. */
async function reset(stack: BenchStack): Promise<void> {
  await resetToBlue(stack, [], `${REPO}:1.9.0`);
  for (const ref of [`${REPO}:2.0.0`, pushed2]) await removeImageIfPresent(ref);
}

let pushed2 = "";

async function removeImageIfPresent(ref: string): Promise<void> {
  const { getDocker } = await import("@/lib/docker/client");
  await getDocker()
    .getImage(ref)
    .remove()
    .catch(() => undefined);
}

const glPhases: Array<Map<string, number>> = [];

async function greenlightOnce(stack: BenchStack): Promise<{ ms: number; pullMs: number }> {
  const t0 = Date.now();
  const result = await startDeployment(stack.ctx, { service: stack.service.name, image: `${REPO}:2.0.0` }, "bench");
  if (result.noop) throw new Error(result.message);
  await result.pipeline;
  const dep = getDeployment(stack.ctx.db, result.deploymentId);
  const steps = listSteps(stack.ctx.db, dep.id);
  const health = steps.find((s) => s.phase === "health" && s.status === "passed");
  const pull = steps.find((s) => s.phase === "pull" && s.status === "passed");
  if (!health?.endedAt || !pull?.endedAt || (pull.detail as { pulled?: boolean }).pulled !== true)
    throw new Error(`Greenlight run did not pull and reach a healthy target: ${dep.status} ${dep.error ?? ""}`);
  glPhases.push(phaseDurations(stack.ctx.db, dep.id));
  // It waits at the gate; the next run starts from blue again (untimed).
  await abortDeployment(stack.ctx, dep.id, "bench");
  return { ms: health.endedAt - t0, pullMs: pull.endedAt - pull.startedAt };
}

async function byHandOnce(stack: BenchStack): Promise<{ ms: number; pullMs: number }> {
  const service = stack.service;
  const t0 = Date.now();
  await pullImage({ ref: `${REPO}:2.0.0`, auth: registry.auth, stallMs: 60_000 });
  const pullMs = Date.now() - t0;
  // 2.0.0 is healthy only on its schema: apply its migration as the runbook does.
  const appDb = new Database(stack.appDbPath);
  appDb.exec(
    fs.readFileSync(
      path.join(REPO_ROOT, "examples/privatetrade/migrations/001_add_specific_stock_selection.sql"),
      "utf8",
    ),
  );
  appDb.close();
  const options = buildContainerOptions({
    service,
    slot: "green",
    image: `${REPO}:2.0.0`,
    version: "2.0.0",
    deploymentId: "bench-by-hand",
    env: resolvedEnv({ service } as Parameters<typeof resolvedEnv>[0]),
  });
  await runContainer(options);
  const url = `http://127.0.0.1:${service.slots.green.port}${service.health.path}`;
  for (;;) {
    const r = await checkHealthOnce({
      url,
      expectedVersion: "2.0.0",
      versionField: service.health.versionField,
      requestTimeoutMs: 2000,
    });
    if (r.ok) break;
    if (Date.now() - t0 > 120_000) throw new Error(`by hand: never healthy (${r.reason})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ms: Date.now() - t0, pullMs };
}

export default async function pull(): Promise<void> {
  process.env[PASSWORD_ENV] = registry.password;
  await removeLocalImages(REPO);
  await pushImage({ source: "privatetrade:1.9.0", target: `${REPO}:1.9.0`, auth: registry.auth });
  pushed2 = (
    await pushPullableRelease({ base: "privatetrade:2.0.0", target: `${REPO}:2.0.0`, ballastBytes: BALLAST, registry })
  ).digest;
  const stack = await openBenchStack(SERVICE, BASE_PORT, (svc) => {
    svc.image = REPO;
  });
  stack.config.registries.push({
    host: registry.host,
    username: registry.username,
    password: { fromEnv: PASSWORD_ENV },
  });
  try {
    const gl: Array<{ ms: number; pullMs: number }> = [];
    const hand: Array<{ ms: number; pullMs: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? (["gl", "hand"] as const) : (["hand", "gl"] as const);
      for (const who of order) {
        await reset(stack);
        if (who === "gl") gl.push(await greenlightOnce(stack));
        else hand.push(await byHandOnce(stack));
      }
      console.error(
        `[pull] run ${i + 1}/${RUNS}: greenlight ${ms(gl.at(-1)!.ms)} (pull ${ms(gl.at(-1)!.pullMs)}), by hand ${ms(hand.at(-1)!.ms)} (pull ${ms(hand.at(-1)!.pullMs)})`,
      );
    }
    const g = median(gl.map((r) => r.ms));
    const h = median(hand.map((r) => r.ms));
    console.log(
      `\n== deploy of a pulled release (${BALLAST / 1e6} MB layer), call to target healthy, ${RUNS} alternating runs each ==`,
    );
    printTable(
      ["", "median", "min", "max", "pull median"],
      [
        [
          "greenlight (pull, preflight, backup, start, migrate, health)",
          ms(g),
          ms(Math.min(...gl.map((r) => r.ms))),
          ms(Math.max(...gl.map((r) => r.ms))),
          ms(median(gl.map((r) => r.pullMs))),
        ],
        [
          "by hand (pull, migration, run, health poll)",
          ms(h),
          ms(Math.min(...hand.map((r) => r.ms))),
          ms(Math.max(...hand.map((r) => r.ms))),
          ms(median(hand.map((r) => r.pullMs))),
        ],
      ],
    );
    console.log(
      `greenlight phase medians: ${phaseMedians(glPhases)
        .filter(([p]) => p !== "gate")
        .map(([p, v]) => `${p} ${ms(v)}`)
        .join(", ")}`,
    );
    console.log(`pull_ratio=${(g / h).toFixed(2)}`);
  } finally {
    for (const c of await findContainers({ service: stack.service.name, all: true })) await removeContainer(c.id);
    await stack.cleanup();
    await removeLocalImages(REPO);
  }
}
