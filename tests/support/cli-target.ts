import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startApiV1Server } from "./api-v1-server";
import type { Fixture } from "./engine-fixture";

const NEXT_ROUTE = ".next/server/app/api/v1/services/[service]/deployments/route.js";

/** True when a production build with the v1 routes exists, so `next start` can serve them. */
export function nextBuildWithV1(root = process.cwd()): boolean {
  return (
    process.env.GREENLIGHT_CLI_TARGET !== "adapter" &&
    fs.existsSync(path.join(root, ".next/BUILD_ID")) &&
    fs.existsSync(path.join(root, NEXT_ROUTE))
  );
}

/** `kill` ends it at once, as a crash would (SIGKILL for `next start`; the adapter just stops answering). */
export type CliTarget = {
  kind: "next start" | "http adapter";
  url: string;
  close: () => Promise<void>;
  kill?: () => Promise<void>;
};

/**
 * What the CLI talks to: the real `next start` over the fixture's data dir and greenlight.yaml when a build exists,
 * else the v1 handlers on a plain HTTP server in this process. Both listen on 127.0.0.1:`port`.
 */
export async function startCliTarget(
  fx: Pick<Fixture, "ctx" | "dataDir" | "configFile">,
  port: number,
): Promise<CliTarget> {
  if (!nextBuildWithV1()) {
    const server = await startApiV1Server(fx.ctx, port);
    return { kind: "http adapter", ...server, kill: server.close };
  }
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [path.join(process.cwd(), "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        GREENLIGHT_DATA_DIR: fx.dataDir,
        GREENLIGHT_CONFIG: fx.configFile,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout.on("data", (d: Buffer) => (log = (log + d).slice(-5000)));
  child.stderr.on("data", (d: Buffer) => (log = (log + d).slice(-5000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`${url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    const kill = async () => {
      child.kill("SIGKILL");
      await exited;
    };
    if (up) return { kind: "next start", url, close, kill };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await close();
  throw new Error(`next start did not answer on ${url}: ${log}`);
}
