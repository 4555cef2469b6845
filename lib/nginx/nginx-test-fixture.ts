// Test support only (not a test file): a private nginx and tiny upstream servers on loopback ports.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startNginx, stopNginx } from "./nginx-ctl";
import { renderMainConfig } from "./render-main-config";
import { writeUpstreamFile } from "./switch-upstream";

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
