import Database from "better-sqlite3";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { startBackgroundFaults } from "./background-faults";
import { APP_FEATURES, APP_VERSION, hasStockSelection } from "./build-info";
import { activeFaults, readFaults } from "./faults";
import { health } from "./health";
import { handleRequest } from "./handle-request";
import { log } from "./log";
import type { Route } from "./routes";
import { v1Routes } from "./routes-v1";
import { v2Routes } from "./routes-v2";
import { BACKTESTS_TABLE_SQL } from "./schema";

const DRAIN_DEADLINE_MS = 900;

async function main(): Promise<void> {
  const faults = readFaults(process.env);
  const port = Number(process.env.PORT ?? "3000");
  const host = process.env.HOST ?? "127.0.0.1";
  const dbPath = process.env.DATABASE_PATH ?? "/app/backtest.db";
  log("info", `PrivateTrade Backtesting Simulator ${APP_VERSION} starting`, {
    version: APP_VERSION,
    features: APP_FEATURES,
    faults: activeFaults(faults),
  });

  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  db.exec(BACKTESTS_TABLE_SQL);
  log("info", `Database connected: ${dbPath}`);

  if (faults.crashOnStart) {
    log("error", "fatal: crashing on start (FAULT_CRASH_ON_START)");
    process.exit(1);
  }
  if (faults.startupDelayMs > 0) await sleep(faults.startupDelayMs);

  const routes: Route[] = hasStockSelection() ? [...v1Routes, ...v2Routes] : v1Routes;
  const server = http.createServer((req, res) => {
    void handleRequest({ req, res, db, routes, faults, health: () => health(db, faults, APP_VERSION) });
  });
  // Longer than nginx's upstream keepalive (60 s): nginx, not the app, closes idle pooled connections,
  // so nginx never sends a request on a connection the app has just closed.
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
  const stopFaults = startBackgroundFaults(faults);

  const shutdown = (signal: string) => {
    log("info", `received ${signal}, draining`);
    stopFaults();
    const finish = (code: number) => {
      db.close();
      process.exit(code);
    };
    server.close(() => finish(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      finish(0);
    }, DRAIN_DEADLINE_MS).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));

  server.on("error", (error) => {
    log("error", `server error: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => log("info", `Application started on port ${port}`, { host, port }));
}

main().catch((error: unknown) => {
  log("error", `fatal: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
