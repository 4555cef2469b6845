/**
 * The whole pipeline (deploy 2.0.0 to green, checks, auto-promote, switch verified through nginx, bake 0) against the
 * seed's manual runbook on the same machine, alternating runs from the same starting point: blue 1.9.0 live, green
 * absent, the app database without migration 001. Two cases: the app ready at once, and the app taking 1.5 s to start.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "@/scripts/stack/example-stack";
import { upstreamFile } from "@/lib/nginx/switch-upstream";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import { openBenchStack, lbVersion, removeNamedContainer, resetToBlue, type BenchStack } from "./support/bench-stack";
import { median, ms, phaseDurations, phaseMedians, printTable } from "./support/stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASE_PORT = 48000;
const SERVICE = "gl-bench-promote";
const RUNBOOK_GREEN = `${SERVICE}-runbook-green`;
const RUNBOOK = "/work/shared/baselines/seed-runbook.sh";
const DELAY_MS = "1500";

type Case = { name: string; key: string; startupDelay: boolean };
const CASES: Case[] = [
  { name: "app ready at once", key: "ready", startupDelay: false },
  { name: "app takes 1.5 s to start", key: "slow_boot", startupDelay: true },
];

async function greenlightOnce(stack: BenchStack, c: Case): Promise<{ ms: number; phases: Map<string, number> }> {
  const env = stack.service.container.env;
  if (c.startupDelay) env.FAULT_STARTUP_DELAY_MS = DELAY_MS;
  try {
    const t0 = performance.now();
    const result = await startDeployment(stack.ctx, { service: stack.service.name, image: "privatetrade:2.0.0", autoPromote: true }, "bench");
    if (result.noop) throw new Error(result.message);
    await result.pipeline;
    const elapsed = performance.now() - t0;
    const dep = getDeployment(stack.ctx.db, result.deploymentId);
    if (dep.status !== "succeeded") throw new Error(`Greenlight run ended ${dep.status}: ${dep.error ?? ""}`);
    const served = await lbVersion(stack.lbUrl);
    if (served.version !== "2.0.0") throw new Error(`after Greenlight nginx serves ${served.version}`);
    return { ms: elapsed, phases: phaseDurations(stack.ctx.db, dep.id) };
  } finally {
    delete env.FAULT_STARTUP_DELAY_MS;
  }
}

function runbookOnce(stack: BenchStack, c: Case): Promise<{ ms: number; phases: Map<string, number> }> {
  const appDir = path.dirname(stack.appDbPath);
  const args = ["--network host --init -e DATABASE_PATH=/app/data/backtest.db -e HOST=127.0.0.1", `-v ${appDir}:/app/data`];
  if (c.startupDelay) args.push(`-e FAULT_STARTUP_DELAY_MS=${DELAY_MS}`);
  const env: NodeJS.ProcessEnv = {
    ...({} as NodeJS.ProcessEnv),
    PATH: process.env.PATH,
    GREEN_NAME: RUNBOOK_GREEN,
    GREEN_IMAGE: "privatetrade:2.0.0",
    GREEN_PORT: String(stack.service.slots.green.port),
    DOCKER_RUN_ARGS: args.join(" "),
    DB_PATH: stack.appDbPath,
    MIGRATION_SQL: path.join(REPO_ROOT, "examples/privatetrade/migrations/001_add_specific_stock_selection.sql"),
    UPSTREAM_FILE: upstreamFile(stack.config.nginx.upstreamDir, stack.service.name),
    LIVE_ADDR: `127.0.0.1:${stack.service.slots.blue.port}`,
    NGINX_CONF: stack.config.nginx.mainConfig,
    LB_URL: stack.lbUrl,
    EXPECTED_VERSION: "2.0.0",
    HEALTH_INTERVAL: "5",
  };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("bash", [RUNBOOK], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), 400_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const elapsed = performance.now() - t0;
      if (code !== 0) return reject(new Error(`runbook exited ${code}: ${out.trim()} ${err.trim().slice(-500)}`));
      // The runbook prints cumulative marks; turn them into per-phase durations.
      const phases = new Map<string, number>();
      let last = 0;
      for (const m of out.matchAll(/^(phase\d_\w+?)_ms (\d+)$/gm)) {
        phases.set(m[1]!, Number(m[2]) - last);
        last = Number(m[2]);
      }
      resolve({ ms: elapsed, phases });
    });
  });
}

export default async function promote(): Promise<void> {
  const stack = await openBenchStack(SERVICE, BASE_PORT);
  const figures: string[] = [];
  try {
    for (const c of CASES) {
      const gl: Array<{ ms: number; phases: Map<string, number> }> = [];
      const rb: Array<{ ms: number; phases: Map<string, number> }> = [];
      for (let i = 0; i < RUNS; i++) {
        // Alternate which goes first so neither always runs on a warmer machine.
        const order = i % 2 === 0 ? (["gl", "rb"] as const) : (["rb", "gl"] as const);
        for (const who of order) {
          await resetToBlue(stack, [RUNBOOK_GREEN]);
          if (who === "gl") gl.push(await greenlightOnce(stack, c));
          else {
            rb.push(await runbookOnce(stack, c));
            // nginx's master lets old workers accept for ~100 ms after a reload; the runbook stops at the first answer
            // from green, so it is checked (untimed) once the old worker has gone.
            await new Promise((r) => setTimeout(r, 500));
            const served = await lbVersion(stack.lbUrl);
            if (served.version !== "2.0.0") throw new Error(`after the runbook nginx serves ${served.version}`);
          }
        }
        console.error(`[promote] ${c.key} run ${i + 1}/${RUNS}: greenlight ${ms(gl.at(-1)!.ms)}, runbook ${ms(rb.at(-1)!.ms)}`);
      }
      const g = median(gl.map((r) => r.ms));
      const r = median(rb.map((x) => x.ms));
      console.log(`\n== ${c.name} (${RUNS} alternating runs each) ==`);
      printTable(
        ["", "median", "min", "max"],
        [
          ["Greenlight", ms(g), ms(Math.min(...gl.map((x) => x.ms))), ms(Math.max(...gl.map((x) => x.ms)))],
          ["seed runbook", ms(r), ms(Math.min(...rb.map((x) => x.ms))), ms(Math.max(...rb.map((x) => x.ms)))],
          ["ratio (Greenlight / runbook)", (g / r).toFixed(2), "", ""],
        ],
      );
      console.log("");
      printTable(["Greenlight phase", "median"], phaseMedians(gl.map((x) => x.phases)).map(([p, v]) => [p, ms(v)]));
      console.log("");
      printTable(["runbook phase", "median"], phaseMedians(rb.map((x) => x.phases)).map(([p, v]) => [p, ms(v)]));
      figures.push(`ratio_${c.key}=${(g / r).toFixed(2)}`);
    }
  } finally {
    await removeNamedContainer(RUNBOOK_GREEN).catch(() => undefined);
    await stack.cleanup();
  }
  console.log(figures.join(" "));
}
