// Test support only (not a test file): a private HAProxy on a loopback port, its config, socket and state file in a
// temp dir, started in the foreground (`-db`) as a child of the test so it stops with it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { HaproxyTraffic } from "@/lib/config/schema";
import { HAPROXY_LOG_FORMAT } from "./haproxy-log";

export type HaproxyFixture = {
  dir: string;
  traffic: HaproxyTraffic;
  port: number;
  /** Renders the config again (for instance without loading the state file) and writes it. */
  writeConfig: (options?: ConfigOptions) => void;
  start: () => Promise<void>;
  /** Stops HAProxy and keeps its files, so `start` can bring it back. */
  halt: () => Promise<void>;
  /** Stops HAProxy (SIGTERM: it drops what is in flight) and starts it again from the config on disk. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
  pid: () => number | undefined;
};

type ConfigOptions = { loadState?: boolean; initial?: "blue" | "green" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function renderHaproxyConfig(input: {
  socket: string;
  stateFile: string;
  port: number;
  backend: string;
  bluePort: number;
  greenPort: number;
  loadState: boolean;
  initial: "blue" | "green";
  logPort?: number;
}): string {
  const weight = (slot: "blue" | "green") => (input.initial === slot ? 100 : 0);
  return [
    "global",
    `  stats socket ${input.socket} mode 600 level admin`,
    `  server-state-file ${input.stateFile}`,
    ...(input.logPort ? [`  log 127.0.0.1:${input.logPort} format raw local0`] : []),
    "defaults",
    "  mode http",
    ...(input.logPort ? ["  log global", `  log-format '${HAPROXY_LOG_FORMAT}'`] : []),
    "  timeout connect 2s",
    "  timeout client 30s",
    "  timeout server 30s",
    ...(input.loadState ? ["  load-server-state-from-file global"] : []),
    "frontend fe",
    `  bind 127.0.0.1:${input.port}`,
    `  default_backend ${input.backend}`,
    `backend ${input.backend}`,
    // The server that answered, as nginx's config says it, so verification can check the port.
    "  http-response set-header X-Greenlight-Upstream %si:%sp",
    `  server blue 127.0.0.1:${input.bluePort} weight ${weight("blue")}`,
    `  server green 127.0.0.1:${input.greenPort} weight ${weight("green")}`,
    "",
  ].join("\n");
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect({ host: "127.0.0.1", port });
    probe.once("connect", () => {
      probe.destroy();
      resolve(false);
    });
    probe.once("error", () => resolve(true));
  });
}

/** HAProxy on `port` with a backend `backend` whose servers `blue` and `green` are the given loopback ports. */
export async function startHaproxyFixture(input: {
  port: number;
  backend?: string;
  bluePort: number;
  greenPort: number;
  initial?: "blue" | "green";
  /** Sends the request log to this loopback UDP port in Greenlight's format. */
  logPort?: number;
}): Promise<HaproxyFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-haproxy-"));
  const backend = input.backend ?? "app";
  const traffic: HaproxyTraffic = {
    driver: "haproxy",
    binary: "haproxy",
    socket: path.join(dir, "admin.sock"),
    config: path.join(dir, "haproxy.cfg"),
    stateFile: path.join(dir, "server-state"),
    backend,
    servers: { blue: "blue", green: "green" },
    lbUrl: `http://127.0.0.1:${input.port}`,
    ...(input.logPort && { logPort: input.logPort }),
  };
  const writeConfig = (options: ConfigOptions = {}) =>
    fs.writeFileSync(
      traffic.config,
      renderHaproxyConfig({
        socket: traffic.socket,
        stateFile: traffic.stateFile,
        port: input.port,
        backend,
        bluePort: input.bluePort,
        greenPort: input.greenPort,
        loadState: options.loadState ?? true,
        initial: options.initial ?? input.initial ?? "blue",
        logPort: input.logPort,
      }),
    );
  writeConfig();
  let child: ChildProcess | undefined;
  let output = "";

  const start = async () => {
    output = "";
    const proc = spawn(traffic.binary, ["-db", "-f", traffic.config], { stdio: ["ignore", "pipe", "pipe"] });
    proc.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    proc.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child = proc;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`haproxy exited at start: ${output.slice(-500)}`);
      if (fs.existsSync(traffic.socket) && !(await portFree(input.port))) return;
      await sleep(20);
    }
    throw new Error(`haproxy did not listen on ${input.port} within 5 s: ${output.slice(-500)}`);
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
      fs.rmSync(traffic.socket, { force: true });
      return;
    }
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([exited, sleep(3000)]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    fs.rmSync(traffic.socket, { force: true });
  };
  await start();
  return {
    dir,
    traffic,
    port: input.port,
    writeConfig,
    start,
    halt: stop,
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      try {
        await stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    pid: () => child?.pid,
  };
}
