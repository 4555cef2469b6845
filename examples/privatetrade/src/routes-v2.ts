import type Database from "better-sqlite3";
import { field, HttpError } from "./http";
import type { Route } from "./routes";
import { missingColumns, STOCK_ROW, V2_CONFIG_COLUMNS } from "./schema";

const CODE = /^\d{6}$/;

interface Selection {
  mode: string;
  stocks: string[];
}

function readSelection(db: Database.Database): Selection {
  const missing = missingColumns(db, V2_CONFIG_COLUMNS);
  if (missing.length > 0) throw new HttpError(503, `database schema is missing columns: ${missing.join(", ")}`);
  const row = db.prepare("SELECT stock_mode, selected_specific_stocks FROM config WHERE name = ?").get(STOCK_ROW) as
    { stock_mode: string | null; selected_specific_stocks: string | null } | undefined;
  if (!row) throw new HttpError(500, `config row '${STOCK_ROW}' is missing`);
  const parsed: unknown = JSON.parse(row.selected_specific_stocks ?? "[]");
  const stocks = Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === "string") : [];
  return { mode: row.stock_mode ?? "all", stocks };
}

function writeSelection(db: Database.Database, next: Selection): void {
  db.prepare("UPDATE config SET stock_mode = ?, selected_specific_stocks = ?, updated_at = ? WHERE name = ?").run(
    next.mode,
    JSON.stringify(next.stocks),
    new Date().toISOString(),
    STOCK_ROW,
  );
}

/** `change` returns null when nothing changes, so no write happens. */
function update(db: Database.Database, change: (current: Selection) => Selection | null): Selection {
  return db
    .transaction(() => {
      const current = readSelection(db);
      const next = change(current);
      if (next === null) return current;
      writeSelection(db, next);
      return next;
    })
    .immediate();
}

/** v2.0.0 endpoints: stock selection, stored in the columns migration 001 adds to `config`. */
export const v2Routes: Route[] = [
  {
    method: "POST",
    path: /^\/api\/stocks\/mode$/,
    handler: ({ db, body }) => {
      const mode = field(body, "mode");
      if (mode !== "specific" && mode !== "all") throw new HttpError(400, "mode must be 'specific' or 'all'");
      return { status: 200, body: update(db, (s) => ({ ...s, mode })) };
    },
  },
  {
    method: "POST",
    path: /^\/api\/stocks\/specific\/add$/,
    handler: ({ db, body }) => {
      const code = field(body, "code");
      if (typeof code !== "string" || !CODE.test(code)) throw new HttpError(400, "code must be six digits");
      const next = update(db, (s) => (s.stocks.includes(code) ? null : { ...s, stocks: [...s.stocks, code] }));
      return { status: 200, body: next };
    },
  },
  {
    method: "GET",
    path: /^\/api\/stocks\/specific$/,
    handler: ({ db }) => ({ status: 200, body: readSelection(db) }),
  },
  {
    method: "DELETE",
    path: /^\/api\/stocks\/specific\/([^/]+)$/,
    handler: ({ db, params }) => {
      const code = params[0] ?? "";
      let found = false;
      const next = update(db, (s) => {
        found = s.stocks.includes(code);
        return found ? { ...s, stocks: s.stocks.filter((c) => c !== code) } : null;
      });
      return found ? { status: 200, body: next } : { status: 404, body: { error: `stock ${code} is not selected` } };
    },
  },
];
