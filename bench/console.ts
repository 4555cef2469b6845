/**
 * The console as a team uses it: a real Greenlight (`next start`) on a database with months of history (3 services
 * behind one nginx, 1,000 deployments, 72 h of per-second metrics), 20 live metrics streams open and traffic
 * flowing the whole time. Every page, one request at a time after the one-second caches expired, then a burst.
 * Targets: page p95 < 100 ms, RSS < 200 MB, every stream still open; the board's 72 h data p95 < 300 ms, and the
 * 72 h board drawn (six panels) in Chromium within 1 s of navigation.
 *
 *   npm run bench -- console   (CONSOLE_BENCH_ROUNDS=20, CONSOLE_BENCH_STREAMS=20, CONSOLE_BENCH_DEPLOYMENTS=1000,
 *                               CONSOLE_BENCH_PAUSE_MS=1100; CONSOLE_BENCH_EXTRA_NODE_OPTIONS adds to the production
 *                               flags, e.g. "--require ./memlog.cjs" to log the server's own memory while it runs)
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createUser } from "@/lib/auth/create-user";
import { SESSION_COOKIE } from "@/lib/auth/cookie";
import { createSession } from "@/lib/auth/sessions";
import { deploy, type BenchStack } from "./support/bench-stack";
import { openTempStack } from "@/scripts/stack/temp-stack";
import Database from "better-sqlite3";
import { median, percentile, printTable } from "./support/stats";
import { seedRealisticHistory, type HistoryCounts } from "./support/realistic-history";
import { SERVER_NODE_OPTIONS } from "@/scripts/stack/server-options";
import { chromium } from "playwright-core";

const APP_PORT = 52000;
const LB_PORT = 52001; // blue 52002, green 52003
const SERVICE = "glconsole";
const REPO = path.resolve(__dirname, "..");
const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/**
 * The board as an on-call opens it in Chromium: from navigation to all six panels drawn with their lines, for the
 * 72 h range, `runs` times (the first with a cold browser cache, like a first visit).
 */
async function boardFirstRender(c: RunningConsole, runs: number, pauseMs: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const context = await browser.newContext();
    const [name, value] = c.cookie.split(";")[0]!.split("=");
    await context.addCookies([{ name: name!, value: value!, url: c.url }]);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${c.url}/services/${SERVICE}/metrics?window=72h`, { waitUntil: "commit" });
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-testid^="panel-"]')].filter((panel) =>
            [...panel.querySelectorAll(".recharts-line path")].some((p) => (p.getAttribute("d") ?? "").length > 10),
          ).length >= 6,
        undefined,
        { timeout: 15_000, polling: 10 },
      );
      times.push(performance.now() - t0);
      await page.close();
      await sleep(pauseMs);
    }
    return times;
  } finally {
    await browser.close();
  }
}

export type RunningConsole = { url: string; cookie: string; pid: number; stack: BenchStack; stop: () => Promise<void> };

function ensureBuild() {
  if (fs.existsSync(path.join(REPO, ".next", "BUILD_ID"))) return;
  console.log("No production build: running next build first");
  execFileSync("npx", ["next", "build"], { cwd: REPO, stdio: "inherit" });
}

/** The pid of the process listening on the port (the next-server process, not the npx wrapper). */
function listenerPid(port: number): number | null {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : null;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function waitFor(url: string, server: ChildProcess, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

type ConsoleOptions = {
  /** More services behind the same nginx, 1.9.0 on blue each (ports after the first service's). */
  moreServices?: number;
  /** Runs on the stack's database after the installs, before the console opens it (e.g. seeding history). */
  prepare?: (stack: BenchStack) => void;
};

/** Stack up, 1.9.0 on blue, an admin with a session, Greenlight serving on APP_PORT. */
export async function startConsole(options: ConsoleOptions = {}): Promise<RunningConsole> {
  ensureBuild();
  const more = Array.from({ length: options.moreServices ?? 0 }, (_, i) => ({
    service: `${SERVICE}-${String.fromCharCode(98 + i)}`,
    bluePort: LB_PORT + 3 + 2 * i,
    greenPort: LB_PORT + 4 + 2 * i,
    route: { pathPrefix: `/${String.fromCharCode(98 + i)}/` },
  }));
  const stack = await openTempStack({ name: SERVICE, basePort: LB_PORT, healthDeadlineSeconds: 30, more });
  let server: ChildProcess | null = null;
  const stop = async () => {
    if (server && server.exitCode === null) {
      process.kill(-server.pid!, "SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await stack.cleanup();
  };
  try {
    for (const s of stack.services) {
      const blue = await deploy(stack, "privatetrade:1.9.0", true, s.name);
      if (blue.status !== "succeeded")
        throw new Error(`installing 1.9.0 on ${s.name} ended ${blue.status}: ${blue.error ?? ""}`);
    }
    options.prepare?.(stack);
    const admin = await createUser(stack.ctx.db, {
      username: "bench-admin",
      password: `bench-${process.pid}-${Date.now()}`,
      role: "admin",
    });
    const { token } = createSession(stack.ctx.db, admin.id, { userAgent: "greenlight-bench" });
    stack.ctx.db.$client.close();
    server = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(APP_PORT)], {
      cwd: REPO,
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        GREENLIGHT_DATA_DIR: stack.dataDir,
        GREENLIGHT_CONFIG: stack.configFile,
        GREENLIGHT_ADMIN_PASSWORD: "",
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_OPTIONS: `${SERVER_NODE_OPTIONS} ${process.env.CONSOLE_BENCH_EXTRA_NODE_OPTIONS ?? ""}`,
      },
    });
    const url = `http://127.0.0.1:${APP_PORT}`;
    await waitFor(`${url}/login`, server);
    const pid = listenerPid(APP_PORT);
    if (!pid) throw new Error(`nothing listens on ${APP_PORT}`);
    return { url, cookie: `${SESSION_COOKIE}=${token}`, pid, stack, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const p95 = (values: number[]) => percentile(values, 95);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timeOne(url: string, cookie: string): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - start;
}

type Streams = { stop: () => Promise<{ events: number; open: number; closedEarly: number }> };

/** Opens `count` metrics streams over the services (windows 5m and 1h alternating) and reads them until stopped. */
async function openStreams(c: RunningConsole, services: string[], count: number): Promise<Streams> {
  const controller = new AbortController();
  let events = 0;
  let open = 0;
  let closedEarly = 0;
  const opened: Array<Promise<void>> = [];
  const readers = Array.from({ length: count }, (_, i) => {
    let ready!: () => void;
    opened.push(new Promise<void>((r) => (ready = r)));
    return (async () => {
      const service = services[i % services.length]!;
      const window = i % 2 === 0 ? "5m" : "1h";
      const res = await fetch(`${c.url}/api/metrics/${service}/stream?window=${window}`, {
        headers: { cookie: c.cookie },
        signal: controller.signal,
      });
      if (res.status !== 200 || !res.body) throw new Error(`metrics stream answered ${res.status}`);
      open++;
      ready();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          events += (decoder.decode(value).match(/^data: /gm) ?? []).length;
        }
        if (!controller.signal.aborted) closedEarly++;
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
      open--;
    })();
  });
  await Promise.race([Promise.all(opened), Promise.all(readers)]);
  return {
    stop: async () => {
      const stillOpen = open;
      controller.abort();
      await Promise.allSettled(readers);
      return { events, open: stillOpen, closedEarly };
    },
  };
}

/** Light traffic through nginx to every service (about `rps` requests a second in all) until stopped. */
function trafficThroughNginx(c: RunningConsole, rps: number): { stop: () => Promise<number> } {
  let running = true;
  let sent = 0;
  const paths = c.stack.services.map((s) => (s.route && "pathPrefix" in s.route ? s.route.pathPrefix : "/"));
  const loop = (async () => {
    while (running) {
      const path = paths[sent % paths.length]!;
      await fetch(`${c.stack.lbUrl}${path}api/config`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      sent++;
      await sleep(1000 / rps);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return sent;
    },
  };
}

/**
 * The console on a database a team would have after months (3 services, 1,000 deployments with steps, events and
 * audit rows, 72 h of per-second metrics), with 20 live metrics streams open and traffic flowing through nginx the
 * whole time. Pages are requested as a person would: one at a time, each after the console's one-second caches have
 * expired, every page of the console in turn; then a burst (10 clients at once). RSS is sampled every 5 s.
 */
export default async function consoleBench(): Promise<void> {
  const rounds = envNumber("CONSOLE_BENCH_ROUNDS", 20);
  const streamCount = envNumber("CONSOLE_BENCH_STREAMS", 20);
  const deploymentCount = envNumber("CONSOLE_BENCH_DEPLOYMENTS", 1000);
  const pauseMs = envNumber("CONSOLE_BENCH_PAUSE_MS", 1100);
  let seeded: HistoryCounts | null = null;
  let seedSeconds = 0;
  const c = await startConsole({
    moreServices: 2,
    prepare: (stack) => {
      const t0 = performance.now();
      seeded = seedRealisticHistory(stack.ctx.db, {
        services: stack.services.map((s) => s.name),
        deployments: deploymentCount,
        before: Date.now(),
      });
      seedSeconds = (performance.now() - t0) / 1000;
    },
  });
  try {
    const services = c.stack.services.map((s) => s.name);
    const recent = new Database(path.join(c.stack.dataDir, "greenlight.db"), { readonly: true })
      .prepare(
        "SELECT id FROM deployments WHERE service = ? AND status = 'rolled_back' ORDER BY created_at DESC LIMIT 1",
      )
      .pluck()
      .get(SERVICE) as string;
    const pages: Array<[string, string]> = [
      ["overview /", "/"],
      ...services.map((s): [string, string] => [`service /services/${s}`, `/services/${s}`]),
      ["deployment /deployments/:id", `/deployments/${recent}`],
      ["report /deployments/:id/report", `/deployments/${recent}/report`],
      ["metrics /metrics", "/metrics"],
      [`board /services/${SERVICE}/metrics`, `/services/${SERVICE}/metrics`],
      ["audit /audit", "/audit"],
      ["settings /settings", "/settings"],
    ];
    const data: Array<[string, string]> = [
      ["board data 1h", `/api/metrics/${SERVICE}?window=1h`],
      ["board data 72h", `/api/metrics/${SERVICE}?window=72h`],
    ];
    const rssStart = rssMb(c.pid);
    const rss: number[] = [rssStart];
    const sampler = setInterval(() => rss.push(rssMb(c.pid)), 5_000);
    const traffic = trafficThroughNginx(c, 15);
    const streams = await openStreams(c, services, streamCount);
    const times = new Map<string, number[]>();
    let rssPaced = NaN;
    const record = (name: string, ms: number) => times.set(name, [...(times.get(name) ?? []), ms]);
    try {
      for (const [, url] of [...pages, ...data]) await timeOne(`${c.url}${url}`, c.cookie); // each page once
      for (let round = 0; round < rounds; round++)
        for (const [name, url] of [...pages, ...data]) {
          await sleep(pauseMs);
          record(name, await timeOne(`${c.url}${url}`, c.cookie));
        }
      await sleep(pauseMs);
      rssPaced = Math.max(...rss, rssMb(c.pid));
      const burst: number[] = [];
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          for (let k = 0; k < 5; k++) {
            const [, url] = pages[(i + k) % pages.length]!;
            burst.push(await timeOne(`${c.url}${url}`, c.cookie));
          }
        }),
      );
      times.set("burst: 10 clients x 5 pages", burst);
      // In Chromium, while the streams stay open and traffic flows: the 72 h board until its six panels are drawn.
      times.set("Chromium: 72 h board, six panels drawn", await boardFirstRender(c, 5, pauseMs));
    } finally {
      clearInterval(sampler);
    }
    const live = await streams.stop();
    const sent = await traffic.stop();
    rss.push(rssMb(c.pid));

    const counts = seeded as HistoryCounts | null;
    console.log(
      `database: ${services.length} services, ${counts?.deployments} deployments, ${counts?.steps} steps, ` +
        `${counts?.audit} audit rows, ${counts?.metricSeconds} per-second metric rows (72 h), seeded in ${seedSeconds.toFixed(1)} s`,
    );
    console.log(`pacing: one request at a time, ${pauseMs} ms apart (after the 1 s caches), ${rounds} rounds`);
    const row = (name: string, t: number[]) => [
      name,
      String(t.length),
      median(t).toFixed(1),
      p95(t).toFixed(1),
      Math.max(...t).toFixed(1),
    ];
    printTable(
      ["page", "requests", "median ms", "p95 ms", "max ms"],
      [...times].map(([name, t]) => row(name, t)),
    );
    console.log("");
    const rssMax = Math.max(...rss);
    printTable(
      [
        "streams open at end",
        "closed early",
        "events read",
        "requests via nginx",
        "rss start MB",
        "rss max paced MB",
        "rss max MB",
      ],
      [
        [
          `${live.open}/${streamCount}`,
          String(live.closedEarly),
          String(live.events),
          String(sent),
          rssStart.toFixed(0),
          rssPaced.toFixed(0),
          rssMax.toFixed(0),
        ],
      ],
    );
    const paced = pages.flatMap(([name]) => times.get(name) ?? []);
    const pageP95 = p95(paced);
    const burstP95 = p95(times.get("burst: 10 clients x 5 pages")!);
    const board72 = p95(times.get("board data 72h")!);
    const render72 = Math.max(...times.get("Chromium: 72 h board, six panels drawn")!);
    const verdict = (ok: boolean) => (ok ? "met" : "missed");
    console.log(
      `targets: page p95 < 100 ms (${verdict(pageP95 < 100)}), rss < 200 MB (${verdict(rssMax < 200)}), ` +
        `streams_open=${streamCount} (${verdict(live.open === streamCount)}), board 72 h data p95 < 300 ms (${verdict(board72 < 300)}), ` +
        `72 h board drawn in Chromium < 1 s, slowest of 5 (${verdict(render72 < 1000)})`,
    );
    console.log(
      `page_p95_ms=${pageP95.toFixed(1)} burst_p95_ms=${burstP95.toFixed(1)} board_72h_p95_ms=${board72.toFixed(1)} board_72h_render_ms=${render72.toFixed(0)} ` +
        `rss_mb=${rssMax.toFixed(0)} streams_open=${live.open}`,
    );
  } finally {
    await c.stop();
  }
}
