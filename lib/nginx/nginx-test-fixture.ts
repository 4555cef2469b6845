// Test support only (not a test file): a private nginx and tiny upstream servers on loopback ports.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startNginx, stopNginx } from "./nginx-ctl";
import { renderMainConfig } from "./render-main-config";
import { writeUpstreamFile } from "./switch-upstream";
import { verifyThroughNginx } from "./verify-live";

export type Backend = { port: number; version: string; close: () => Promise<void> };

/** Answers /api/health with its version; /slow answers after delayMs (onSlowAnswer runs just before). */
export function startBackend(
  port: number,
  version: string,
  options: { delayMs?: number; onSlowAnswer?: () => void } = {},
): Promise<Backend> {
  const delayMs = options.delayMs ?? 1500;
  const server = http.createServer((req, res) => {
    const send = () => {
      if (req.url === "/slow") options.onSlowAnswer?.();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ version, port, path: req.url }));
    };
    if (req.url === "/slow") setTimeout(send, delayMs);
    else send();
  });
  // Longer than nginx's upstream keepalive, so nginx never reuses a connection the app just closed.
  server.keepAliveTimeout = 120_000;
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        port,
        version,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            // A reset leaves no TIME_WAIT on the listening port, so the next run can bind it at once.
            for (const socket of sockets) socket.resetAndDestroy();
          }),
      }),
    );
  });
}

export type NginxFixture = {
  dir: string;
  nginx: { binary: string; mainConfig: string; upstreamDir: string; lbUrl: string };
  accessLog: string;
  errorLog: string;
  stop: () => Promise<void>;
};

/** Renders a main config into a temp prefix, writes the first upstream file, starts nginx. */
export async function startNginxFixture(input: {
  port: number;
  service: string;
  initial: { slot: "blue" | "green"; port: number; version: string };
}): Promise<NginxFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-c-nginx-"));
  const upstreamDir = path.join(dir, "upstreams");
  const accessLog = path.join(dir, "access.log");
  const errorLog = path.join(dir, "error.log");
  const mainConfig = path.join(dir, "nginx.conf");
  fs.writeFileSync(
    mainConfig,
    renderMainConfig({
      prefix: dir,
      listen: { host: "127.0.0.1", port: input.port },
      upstreamDir,
      accessLog,
      errorLog,
      services: [{ name: input.service }],
    }),
  );
  writeUpstreamFile({ upstreamDir, service: input.service, ...input.initial });
  const nginx = { binary: "nginx", mainConfig, upstreamDir, lbUrl: `http://127.0.0.1:${input.port}` };
  await startNginx(nginx);
  return {
    dir,
    nginx,
    accessLog,
    errorLog,
    stop: async () => {
      try {
        await stopNginx(nginx, { timeoutMs: 5000 });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export type BlueGreenFixture = NginxFixture & { blue: Backend; green: Backend };

/**
 * Blue answering 1.9.0 and green answering 2.0.0 on loopback, and nginx on `port` routing `service` to blue.
 * `stop` ends nginx and both backends.
 */
export async function startBlueGreen(input: {
  port: number;
  service: string;
  bluePort: number;
  greenPort: number;
  blueOptions?: Parameters<typeof startBackend>[2];
}): Promise<BlueGreenFixture> {
  const started: Backend[] = [];
  try {
    const blue = await startBackend(input.bluePort, "1.9.0", input.blueOptions);
    started.push(blue);
    const green = await startBackend(input.greenPort, "2.0.0");
    started.push(green);
    const fx = await startNginxFixture({
      port: input.port,
      service: input.service,
      initial: { slot: "blue", port: input.bluePort, version: "1.9.0" },
    });
    const stop = async () => {
      try {
        await fx.stop();
      } finally {
        await blue.close();
        await green.close();
      }
    };
    return { ...fx, blue, green, stop };
  } catch (e) {
    for (const backend of started) await backend.close();
    throw e;
  }
}

/** `verifyThroughNginx` against the fixture's backends: their /api/health and its `version` field. */
export function verifyBackend(
  fx: Pick<NginxFixture, "nginx">,
  expected: { version: string; port: number | undefined; deadlineMs: number; intervalMs: number },
) {
  return verifyThroughNginx({
    lbUrl: fx.nginx.lbUrl,
    healthPath: "/api/health",
    versionField: "version",
    expectedVersion: expected.version,
    expectedPort: expected.port,
    deadlineMs: expected.deadlineMs,
    intervalMs: expected.intervalMs,
  });
}
