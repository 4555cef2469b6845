import type Database from "better-sqlite3";

export const CONFIG_TABLE_SQL = `CREATE TABLE IF NOT EXISTS config (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  value TEXT,
  created_at TIMESTAMP,
  updated_at TIMESTAMP
)`;

export const BACKTESTS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS backtests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  strategy TEXT NOT NULL,
  symbol TEXT,
  params TEXT,
  created_at TIMESTAMP NOT NULL
)`;

/** The config row the stock-selection endpoints read and write. */
export const STOCK_ROW = "stock_universe";

export const SEED_ROWS: ReadonlyArray<readonly [string, string]> = [
  ["app_name", "PrivateTrade Backtesting Simulator"],
  ["default_capital", "10000000"],
  ["commission_rate", "0.00015"],
  [STOCK_ROW, "KOSPI"],
];

export const V1_CONFIG_COLUMNS = ["id", "name", "value", "created_at", "updated_at"] as const;
export const V2_CONFIG_COLUMNS = ["stock_mode", "selected_specific_stocks"] as const;

function configColumns(db: Database.Database): Set<string> {
  const rows = db.prepare("PRAGMA table_info(config)").all() as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
}

export function missingColumns(db: Database.Database, wanted: readonly string[]): string[] {
  const have = configColumns(db);
  return wanted.filter((c) => !have.has(c));
}
