import type Database from "better-sqlite3";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { requestFaultsOn, type Faults } from "./faults";
import { HttpError, readJson, sendJson, type Reply } from "./http";
import { log } from "./log";
import { matchRoute, type Route } from "./routes";

interface RequestInput {
  req: IncomingMessage;
  res: ServerResponse;
  db: Database.Database;
  routes: readonly Route[];
  faults: Faults;
  health: () => Reply;
}

export async function handleRequest({ req, res, db, routes, faults, health }: RequestInput): Promise<void> {
  const method = req.method ?? "GET";
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  try {
    if (pathname === "/api/health" && (method === "GET" || method === "HEAD")) {
      sendJson(res, health());
      return;
    }
    const on = requestFaultsOn(faults, process.uptime() * 1000);
    if (on && faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (on && faults.errorRate > 0 && Math.random() < faults.errorRate) {
      throw new HttpError(500, "fault injected: FAULT_ERROR_RATE");
    }
    const match = matchRoute(routes, method, pathname);
    if (!match) {
      req.resume();
      sendJson(res, { status: 404, body: { error: `no route for ${method} ${pathname}` } });
      return;
    }
    const body = method === "GET" ? {} : await readJson(req);
    sendJson(res, match.route.handler({ db, params: match.params, body }));
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const message = error instanceof HttpError ? error.message : "internal error";
    if (status >= 500) {
      const detail = error instanceof Error ? error.message : String(error);
      log("error", `request failed: ${method} ${pathname}: ${detail}`, { status });
    }
    if (!res.headersSent) sendJson(res, { status, body: { error: message } });
    else res.destroy();
  }
}
