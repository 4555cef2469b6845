import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { abort, createDeployment, promote, retrySwitchHandler } from "@/app/api/v1/_lib/deployments-write";
import { deploymentEvents, getDeploymentHandler } from "@/app/api/v1/_lib/deployments-read";
import type { Handler } from "@/app/api/v1/_lib/guarded";
import * as rollback from "@/app/api/v1/_lib/rollback";
import { listServices } from "@/app/api/v1/_lib/services";
import { releaseDeployLock } from "@/app/api/v1/_lib/deploy-lock";
import type { EngineContext } from "@/lib/deploy/context";
import { livenessResponse, readinessResponse } from "@/lib/health/respond";

type Route = [method: string, pattern: RegExp, handler: Handler<any>, names: string[]];
const ROUTES: Route[] = [
  ["GET", /^\/api\/v1\/services$/, listServices, []],
  ["POST", /^\/api\/v1\/services\/([^/]+)\/deployments$/, createDeployment, ["service"]],
  ["GET", /^\/api\/v1\/services\/([^/]+)\/rollback-requests$/, rollback.listRollbackRequestsHandler, ["service"]],
  ["POST", /^\/api\/v1\/services\/([^/]+)\/rollback-requests$/, rollback.createRollbackRequest, ["service"]],
  ["GET", /^\/api\/v1\/services\/([^/]+)\/rollback-readiness$/, rollback.readinessHandler, ["service"]],
  ["POST", /^\/api\/v1\/services\/([^/]+)\/deploy-lock\/release$/, releaseDeployLock, ["service"]],
  ["GET", /^\/api\/v1\/deployments\/([^/]+)$/, getDeploymentHandler, ["id"]],
  ["GET", /^\/api\/v1\/deployments\/([^/]+)\/events$/, deploymentEvents, ["id"]],
  ["POST", /^\/api\/v1\/deployments\/([^/]+)\/promote$/, promote, ["id"]],
  ["POST", /^\/api\/v1\/deployments\/([^/]+)\/retry-switch$/, retrySwitchHandler, ["id"]],
  ["POST", /^\/api\/v1\/deployments\/([^/]+)\/abort$/, abort, ["id"]],
  ["POST", /^\/api\/v1\/rollback-requests\/([^/]+)\/approve$/, rollback.approve, ["id"]],
  ["POST", /^\/api\/v1\/rollback-requests\/([^/]+)\/reject$/, rollback.reject, ["id"]],
  ["GET", /^\/api\/healthz$/, async () => livenessResponse(), []],
  ["GET", /^\/api\/readyz$/, async (_req, _params, ctx) => readinessResponse(() => ctx), []],
];

/**
 * The v1 route handlers (and the health probes) on a plain Node HTTP server over a given engine context, on 127.0.0.1: lets the CLI be
 * tested end to end without building and starting Next.
 */
export async function startApiV1Server(
  ctx: EngineContext,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (inc, out) => {
    const url = new URL(inc.url ?? "/", `http://${inc.headers.host ?? "127.0.0.1"}`);
    const route = ROUTES.find(([m, re]) => m === inc.method && re.test(url.pathname));
    if (!route) {
      out
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "not_found", message: "No such route" } }));
      return;
    }
    const match = url.pathname.match(route[1])!;
    const params = Object.fromEntries(route[3].map((n, i) => [n, decodeURIComponent(match[i + 1] ?? "")]));
    const controller = new AbortController();
    out.on("close", () => controller.abort());
    const chunks: Buffer[] = [];
    for await (const c of inc) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(inc.headers)) if (typeof v === "string") headers.set(k, v);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const res = await route[2](
      new Request(url, { method: inc.method, headers, body, signal: controller.signal }),
      params,
      ctx,
    );
    out.writeHead(res.status, Object.fromEntries(res.headers));
    if (res.body) Readable.fromWeb(res.body as import("node:stream/web").ReadableStream).pipe(out);
    else out.end();
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
