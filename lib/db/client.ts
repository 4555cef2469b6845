import { processWide } from "@/lib/process-wide";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";
import { migrate } from "./migrate";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function dataDir(): string {
  return path.resolve(process.env.GREENLIGHT_DATA_DIR ?? "./data");
}

/** Opens (creating if needed) a Greenlight database with WAL, a busy timeout and foreign keys, migrated. */
export function openDb(file: string, migrationsDir?: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  migrate(sqlite, migrationsDir);
  return drizzle(sqlite, { schema }) as Db;
}

/** The process-wide database in GREENLIGHT_DATA_DIR. */
export function getDb(): Db {
  return processWide("db", () => openDb(path.join(dataDir(), "greenlight.db")));
}
