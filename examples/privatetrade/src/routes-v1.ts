import { field, HttpError } from "./http";
import type { Route } from "./routes";

const MAX_LIST = 50;

/** v1.9.0 endpoints; they name their columns so columns added by later migrations do not matter. */
export const v1Routes: Route[] = [
  {
    method: "GET",
    path: /^\/api\/config$/,
    handler: ({ db }) => ({
      status: 200,
      body: { config: db.prepare("SELECT id, name, value, created_at, updated_at FROM config ORDER BY id").all() },
    }),
  },
  {
    method: "GET",
    path: /^\/api\/backtests$/,
    handler: ({ db }) => ({
      status: 200,
      body: {
        backtests: db
          .prepare("SELECT id, strategy, symbol, params, created_at FROM backtests ORDER BY id DESC LIMIT ?")
          .all(MAX_LIST),
      },
    }),
  },
  {
    method: "POST",
    path: /^\/api\/backtests$/,
    handler: ({ db, body }) => {
      const strategy = field(body, "strategy") ?? "buy-and-hold";
      const symbol = field(body, "symbol") ?? null;
      if (typeof strategy !== "string" || strategy.length === 0 || strategy.length > 100) {
        throw new HttpError(400, "strategy must be a non-empty string of at most 100 characters");
      }
      if (symbol !== null && (typeof symbol !== "string" || symbol.length > 20)) {
        throw new HttpError(400, "symbol must be a string of at most 20 characters");
      }
      const params = JSON.stringify(field(body, "params") ?? {});
      const result = db
        .prepare("INSERT INTO backtests (strategy, symbol, params, created_at) VALUES (?, ?, ?, ?)")
        .run(strategy, symbol, params, new Date().toISOString());
      return { status: 201, body: { id: Number(result.lastInsertRowid), strategy, symbol } };
    },
  },
];
