/**
 * The demo: the example service's stack on loopback, blue 1.9.0 installed through Greenlight's own pipeline,
 * demo users, the console on 127.0.0.1:3100 and light traffic through nginx. Ctrl-C stops what it started.
 * Ports: GREENLIGHT_PORT (3100), DEMO_LB_PORT (8080), DEMO_BLUE_PORT (3000), DEMO_GREEN_PORT (3001), and for the second
 * service behind the same nginx (privatetrade-lab at /lab/) DEMO_LAB_BLUE_PORT (3002), DEMO_LAB_GREEN_PORT (3003);
 * DEMO_TRAFFIC_RPS (5) and DEMO_TRAFFIC_MINUTES (120) bound the traffic; DEMO_DIR (.data/demo) holds its state.
 * A console that dies is started again; nginx, the containers and the traffic keep going (tests/demo).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createUser } from "@/lib/auth/create-user";
import { stopNginx } from "@/lib/nginx/nginx-ctl";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { routeProbe } from "@/lib/nginx/route-probe";
import { createExampleStack, REPO_ROOT } from "./stack/example-stack";
import { startTraffic } from "./stack/traffic";
import { SERVER_NODE_OPTIONS } from "./stack/server-options";
import { localRegistry, type LocalRegistry } from "@/lib/docker/local-registry";
import { pushImage } from "@/lib/docker/push";
import { getDocker } from "@/lib/docker/client";

const REGISTRY_PASSWORD_ENV = "GREENLIGHT_REGISTRY_PASSWORD";

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1024 || value > 65535)
    throw new Error(`${name} must be a port number from 1024 to 65535`);
  return value;
};

const DEMO_USERS = [
  { username: "admin", role: "admin", password: "demo-admin-pass" },
  { username: "release", role: "release_manager", password: "demo-release-pass" },
  { username: "release2", role: "release_manager", password: "demo-release2-pass" },
  { username: "oncall", role: "oncall", password: "demo-oncall-pass" },
  { username: "viewer", role: "viewer", password: "demo-viewer-pass" },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A demo killed without Ctrl-C (kill -9, a closed terminal) leaves its nginx and console running on the demo's
 * ports, and the next demo would fail to bind, or worse, wait for the old console. Both are found through the files
 * the last demo left in its directory, and stopped before that directory is replaced.
 */
async function stopPreviousDemo(root: string): Promise<void> {
  const mainConfig = path.join(root, "nginx", "nginx.conf");
  if (fs.existsSync(mainConfig) && !(await stopNginx({ binary: "nginx", mainConfig }).catch(() => false)))
    throw new Error(`the nginx of an earlier demo (${mainConfig}) would not stop; stop it and try again`);
  const pidFile = path.join(root, "console.pid");
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8")) : NaN;
  if (!Number.isInteger(pid) || !alive(pid)) return;
  // Only the process the last demo started: a pid reused by something else is left alone.
  const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  if (!/next/.test(cmdline)) return;
  console.log(`demo: stopping the console an earlier demo left running (pid ${pid})`);
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/**
 * Pushes copies of the local example images into the local registry as <registry>/privatetrade:<version>, then
 * drops those registry-qualified local tags again (the plain privatetrade:* images are never touched), so the
 * demo's deployments go through a real, authenticated pull.
 */
async function pushReleases(registry: LocalRegistry): Promise<string> {
  const repository = `${registry.host}/privatetrade`;
  for (const version of ["1.9.0", "2.0.0"]) {
    const pinned = await pushImage({
      source: `privatetrade:${version}`,
      target: `${repository}:${version}`,
      auth: registry.auth,
    });
    await getDocker().getImage(`${repository}:${version}`).remove({ noprune: true });
    console.log(`demo: pushed privatetrade:${version} to ${pinned}`);
  }
  return repository;
}

async function main() {
  const appPort = port("GREENLIGHT_PORT", 3100);
  const root = path.resolve(process.env.DEMO_DIR ?? path.join(REPO_ROOT, ".data", "demo"));
  await stopPreviousDemo(root);
  fs.rmSync(root, { recursive: true, force: true });
  const registry = localRegistry();
  process.env[REGISTRY_PASSWORD_ENV] = registry.password;
  const repository = await pushReleases(registry);
  const stack = await createExampleStack({
    root,
    lbPort: port("DEMO_LB_PORT", 8080),
    bluePort: port("DEMO_BLUE_PORT", 3000),
    greenPort: port("DEMO_GREEN_PORT", 3001),
    // The demo starts from nothing each time; containers an earlier, killed demo left would answer on its ports.
    sweepOrphans: true,
    // The example's second service, behind the same nginx at its own /lab/ prefix.
    more: [
      {
        service: "privatetrade-lab",
        bluePort: port("DEMO_LAB_BLUE_PORT", 3002),
        greenPort: port("DEMO_LAB_GREEN_PORT", 3003),
      },
    ],
    registries: [{ host: registry.host, username: registry.username, password: { fromEnv: REGISTRY_PASSWORD_ENV } }],
    adjust: (svc) => {
      svc.image = repository;
      svc.watch.bakeSeconds = 30;
    },
  });
  let stopping = false;
  const children: Array<ReturnType<typeof spawn>> = [];
  let traffic: Array<ReturnType<typeof startTraffic>> = [];
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\ndemo: stopping traffic, the console, nginx and the demo containers");
    for (const t of traffic) t.stop();
    for (const child of children) child.kill("SIGTERM");
    await stack.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  console.log(
    `demo: installing privatetrade 1.9.0 on blue for ${stack.services.map((s) => s.name).join(" and ")}, at once, through Greenlight's pipeline (pulled from ${registry.host})`,
  );
  await Promise.all(
    stack.services.map(async (s) => {
      const first = await startDeployment(
        stack.ctx,
        { service: s.name, image: `${repository}:1.9.0`, autoPromote: true },
        "demo",
      );
      if (first.noop) throw new Error(first.message);
      await first.pipeline;
    }),
  );
  for (const user of DEMO_USERS) await createUser(stack.ctx.db, user);
  stack.ctx.db.$client.close();

  // The console is the control plane, never the data plane: when it dies (kill -9, a crash) the demo starts it again
  // and leaves nginx, the containers and the traffic alone; the restarted console takes over and recovers.
  const restarts: number[] = [];
  const startConsole = () => {
    const next = spawn(
      path.join(REPO_ROOT, "node_modules/.bin/next"),
      ["start", "-H", "127.0.0.1", "-p", String(appPort)],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          GREENLIGHT_CONFIG: stack.configFile,
          GREENLIGHT_DATA_DIR: stack.dataDir,
          NODE_ENV: "production",
          NODE_OPTIONS: SERVER_NODE_OPTIONS,
        },
        stdio: "inherit",
      },
    );
    children.push(next);
    if (next.pid) fs.writeFileSync(path.join(root, "console.pid"), String(next.pid));
    next.on("exit", (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && now - restarts[0]! > 60_000) restarts.shift();
      if (restarts.length > 5) {
        console.error("demo: the console exited 6 times within a minute; stopping the demo (the lines above say why)");
        void stop(code ?? 1);
        return;
      }
      console.log(
        `demo: the console exited (${signal ?? `code ${code}`}); starting it again. nginx and the containers keep serving.`,
      );
      setTimeout(startConsole, 500);
    });
  };
  startConsole();
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${appPort}/login`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Each service at its own route (the lab under /lab/); the first service gets the demo's rate, the others a fifth.
  const entries = stack.services.map((s) => ({ service: s, url: routeProbe(stack.lbUrl, s.route).baseUrl }));
  traffic = entries.map(({ url }, i) =>
    startTraffic({
      lbUrl: url,
      perSecond: Number(process.env.DEMO_TRAFFIC_RPS ?? 5) / (i === 0 ? 1 : 5),
      maxMs: Number(process.env.DEMO_TRAFFIC_MINUTES ?? 120) * 60_000,
      postEvery: 10,
    }),
  );
  const lines: string[] = [];
  for (const { service, url } of entries) {
    const health = await fetch(`${url}/api/health`).then((r) => r.text());
    lines.push(
      `  ${service.name} (nginx) ${url}/api/health -> ${health}`,
      `    blue / green: 127.0.0.1:${service.slots.blue.port} / 127.0.0.1:${service.slots.green.port}`,
    );
  }
  console.log(`
Greenlight demo is running.
  Console:        http://127.0.0.1:${appPort}
${lines.join("\n")}
  Sign in as (demo only):
${DEMO_USERS.map((u) => `    ${u.username.padEnd(9)} ${u.password.padEnd(20)} ${u.role}`).join("\n")}
  Release to try: ${repository}:2.0.0 under "Release to pull from the registry" (pulled with its progress shown,
  pinned to its digest; migration 001 + four smoke tests), then Promote green.
  Ctrl-C stops everything the demo started.
`);
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
