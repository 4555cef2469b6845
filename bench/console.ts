/**
 * The console under a reader's load: a real Greenlight (`next start`) against its own example stack. Server response
 * time of the overview and service pages (sequential requests), then live metrics streams held open with light
 * traffic through nginx while the server's RSS is sampled. Targets: page p95 < 100 ms, RSS < 200 MB.
 *
 *   npm run bench -- console            (CONSOLE_BENCH_SECONDS=300, CONSOLE_BENCH_STREAMS=20, CONSOLE_BENCH_REQUESTS=200)
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createUser } from "@/lib/auth/create-user";
import { SESSION_COOKIE } from "@/lib/auth/cookie";
import { createSession } from "@/lib/auth/sessions";
import { deploy, openBenchStack, type BenchStack } from "./support/bench-stack";
import { median, printTable } from "./support/stats";
import { SERVER_NODE_OPTIONS } from "@/scripts/stack/server-options";

const APP_PORT = 52000;
const LB_PORT = 52001; // blue 52002, green 52003
const SERVICE = "glconsole";
const REPO = path.resolve(__dirname, "..");
const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

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

/** Stack up, 1.9.0 on blue, an admin with a session, Greenlight serving on APP_PORT. */
export async function startConsole(): Promise<RunningConsole> {
  ensureBuild();
  const stack = await openBenchStack(SERVICE, LB_PORT);
  let server: ChildProcess | null = null;
  const stop = async () => {
    if (server && server.exitCode === null) {
      process.kill(-server.pid!, "SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await stack.cleanup();
  };
  try {
    const blue = await deploy(stack, "privatetrade:1.9.0");
    if (blue.status !== "succeeded") throw new Error(`installing 1.9.0 ended ${blue.status}: ${blue.error ?? ""}`);
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
        NODE_OPTIONS: SERVER_NODE_OPTIONS,
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

async function timePage(url: string, cookie: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - start);
  }
  return times;
}

const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))]!;

/** Holds `count` metrics streams open for `seconds`, with ~5 req/s through nginx, sampling RSS every 5 s. */
async function streamsUnderTraffic(
  c: RunningConsole,
  count: number,
  seconds: number,
): Promise<{ rss: number[]; events: number; open: number }> {
  const controller = new AbortController();
  let events = 0;
  let open = 0;
  const readers = Array.from({ length: count }, async () => {
    const res = await fetch(`${c.url}/api/metrics/${SERVICE}/stream?window=5m`, {
      headers: { cookie: c.cookie },
      signal: controller.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`metrics stream answered ${res.status}`);
    open++;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        events += (decoder.decode(value).match(/^data: /gm) ?? []).length;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  });
  const rss: number[] = [rssMb(c.pid)];
  const end = Date.now() + seconds * 1000;
  let nextSample = Date.now() + 5_000;
  while (Date.now() < end) {
    await fetch(`${c.stack.lbUrl}/api/config`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 200));
    if (Date.now() >= nextSample) {
      rss.push(rssMb(c.pid));
      nextSample += 5_000;
    }
  }
  controller.abort();
  await Promise.allSettled(readers);
  return { rss, events, open };
}

export default async function consoleBench(): Promise<void> {
  const requests = envNumber("CONSOLE_BENCH_REQUESTS", 200);
  const seconds = envNumber("CONSOLE_BENCH_SECONDS", Number(process.argv[3]) || 300);
  const streams = envNumber("CONSOLE_BENCH_STREAMS", 20);
  const c = await startConsole();
  try {
    const rssStart = rssMb(c.pid);
    await timePage(`${c.url}/`, c.cookie, 10); // warm-up: first renders compile nothing in production, but fill caches
    await timePage(`${c.url}/services/${SERVICE}`, c.cookie, 10);
    const overview = await timePage(`${c.url}/`, c.cookie, requests);
    const service = await timePage(`${c.url}/services/${SERVICE}`, c.cookie, requests);
    const audit = await timePage(`${c.url}/audit`, c.cookie, Math.min(requests, 50));
    const live = await streamsUnderTraffic(c, streams, seconds);
    const rssMax = Math.max(rssStart, ...live.rss);
    const row = (name: string, t: number[]) => [
      name,
      String(t.length),
      median(t).toFixed(1),
      p95(t).toFixed(1),
      Math.max(...t).toFixed(1),
    ];
    printTable(
      ["page", "requests", "median ms", "p95 ms", "max ms"],
      [row("overview /", overview), row(`service /services/${SERVICE}`, service), row("audit /audit", audit)],
    );
    console.log("");
    printTable(
      ["streams", "seconds", "events read", "rss start MB", "rss end MB", "rss max MB"],
      [
        [
          `${live.open}/${streams}`,
          String(seconds),
          String(live.events),
          rssStart.toFixed(0),
          live.rss.at(-1)!.toFixed(0),
          rssMax.toFixed(0),
        ],
      ],
    );
    const pageP95 = Math.max(p95(overview), p95(service));
    console.log(
      `targets: page p95 < 100 ms (${pageP95 < 100 ? "met" : "missed"}), rss < 200 MB (${rssMax < 200 ? "met" : "missed"})`,
    );
    console.log(`page_p95_ms=${pageP95.toFixed(1)} rss_mb=${rssMax.toFixed(0)}`);
  } finally {
    await c.stop();
  }
}
