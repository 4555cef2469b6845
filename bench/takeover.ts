/**
 * Takeover after kill -9: a console (tests/support/console-process.ts: start() and the /api/v1 handlers) deploys
 * with auto-promote; at a random moment of the deployment it is killed with SIGKILL and started again at once, as a
 * supervisor would. Measured from the kill: to the interrupted deployment being driven again (its deploy lock taken
 * by the new process, or already final) and to its final state with the lock released. Target takeover_s <= 5.
 * BENCH_RUNS (10), BENCH_SEED (printed) to replay the kill moments.
 */
import { createApiToken } from "@/lib/api-tokens/create";
import { startConsole, type ConsoleProcess } from "@/tests/support/console-runner";
import { deploymentStatus, drivenBy, seedFrom, seededRandom, settled, sleep } from "@/tests/support/kill-restart";
import { readLease } from "@/lib/deploy/lease";
import { lbVersion, openBenchStack, resetToBlue } from "./support/bench-stack";
import { median, printTable } from "./support/stats";

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TARGET_S = 5;
const PORT = 48310;

const s = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} s` : "-");

export default async function takeover(): Promise<void> {
  const seed = seedFrom("BENCH_SEED");
  console.error(`[takeover] seed ${seed} (replay with BENCH_SEED=${seed})`);
  const random = seededRandom(seed);
  const stack = await openBenchStack("gl-bench-takeover", PORT);
  const rows: Array<{ phase: string; lease: number; takeover: number; recovered: number; status: string }> = [];
  let console_: ConsoleProcess | null = null;
  let port = PORT + 5;
  try {
    await resetToBlue(stack);
    const token = createApiToken(
      stack.ctx.db,
      { name: "bench", role: "release_manager", services: ["*"] },
      { id: 1, username: "bench", role: "admin" },
    ).token;
    console_ = startConsole(stack, port);
    await console_.ready();
    let attempts = 0;
    while (rows.length < RUNS && attempts++ < RUNS * 3) {
      const served = await lbVersion(stack.lbUrl);
      const image = served.version === "2.0.0" ? "privatetrade:1.9.0" : "privatetrade:2.0.0";
      const res = await fetch(`${console_.url}/api/v1/services/${stack.service.name}/deployments`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ image, autoPromote: true }),
      });
      if (res.status !== 202) throw new Error(`deploy refused (${res.status}): ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      await sleep(Math.floor(random() * 2000));
      const phase = (
        stack.ctx.db.$client.prepare("SELECT phase FROM deployments WHERE id = ?").get(id) as { phase: string }
      ).phase;
      const t0 = performance.now();
      await console_.kill("SIGKILL");
      // Started again at once; the clock runs from the kill, so the new process's boot counts.
      port = port === PORT + 5 ? PORT + 6 : PORT + 5;
      console_ = startConsole(stack, port);
      if (settled(stack, id)) {
        // The deployment had finished before the kill: nothing was interrupted, so this run does not count.
        await console_.ready();
        continue;
      }
      const pid = console_.pid;
      let takeoverAt = NaN;
      let leaseAt = NaN;
      const deadline = t0 + 120_000;
      while (performance.now() < deadline) {
        if (Number.isNaN(leaseAt) && readLease(stack.ctx.db, "engine")?.instance.startsWith(`${pid}-`))
          leaseAt = performance.now();
        if (Number.isNaN(takeoverAt) && (drivenBy(stack, pid) || settled(stack, id))) takeoverAt = performance.now();
        if (settled(stack, id)) break;
        await sleep(20);
      }
      const recoveredAt = performance.now();
      const status = deploymentStatus(stack, id) ?? "?";
      if (!settled(stack, id))
        throw new Error(
          `run ${rows.length + 1}: deployment ${id} not final 120 s after the kill (${status}); console: ${console_.output()}`,
        );
      rows.push({
        phase,
        lease: (leaseAt - t0) / 1000,
        takeover: (takeoverAt - t0) / 1000,
        recovered: (recoveredAt - t0) / 1000,
        status,
      });
      await console_.ready();
      const after = await lbVersion(stack.lbUrl);
      if (after.status !== 200) throw new Error(`after run ${rows.length} nginx answers ${after.status}`);
      console.error(
        `[takeover] run ${rows.length}/${RUNS}: killed in ${phase}, driven again ${s(rows.at(-1)!.takeover)}, ${status} ${s(rows.at(-1)!.recovered)}`,
      );
    }
  } finally {
    await console_?.kill("SIGKILL");
    await stack.cleanup();
  }
  const col = (k: "lease" | "takeover" | "recovered") => rows.map((r) => r[k]);
  printTable(
    [`kill -9 and restart (${rows.length} runs)`, "median", "max"],
    [
      ["kill -> engine lease taken (process boot)", s(median(col("lease"))), s(Math.max(...col("lease")))],
      ["kill -> deployment driven again", s(median(col("takeover"))), s(Math.max(...col("takeover")))],
      ["kill -> final state", s(median(col("recovered"))), s(Math.max(...col("recovered")))],
    ],
  );
  const outcomes = new Map<string, number>();
  for (const r of rows) outcomes.set(`${r.phase} -> ${r.status}`, (outcomes.get(`${r.phase} -> ${r.status}`) ?? 0) + 1);
  console.log(`interrupted: ${[...outcomes].map(([k, n]) => `${k} x${n}`).join(", ")}`);
  const m = median(col("takeover"));
  console.log(
    `target takeover_s <= ${TARGET_S}: ${m <= TARGET_S && Math.max(...col("takeover")) <= TARGET_S ? "met" : "missed"}`,
  );
  console.log(`takeover_s=${m.toFixed(2)} takeover_max_s=${Math.max(...col("takeover")).toFixed(2)}`);
  console.log(
    `recovered_s=${median(col("recovered")).toFixed(2)} recovered_max_s=${Math.max(...col("recovered")).toFixed(2)}`,
  );
}
