import Database from "better-sqlite3";
import { BACKTESTS_TABLE_SQL, CONFIG_TABLE_SQL, SEED_ROWS } from "./schema";

/** Creates the v1.9.0 schema with its four config rows; a no-op on a database that already has them. */
export function initDb(file: string): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      db.exec(CONFIG_TABLE_SQL);
      db.exec(BACKTESTS_TABLE_SQL);
      const count = (db.prepare("SELECT COUNT(*) AS n FROM config").get() as { n: number }).n;
      if (count > 0) return;
      const now = new Date().toISOString();
      const insert = db.prepare("INSERT INTO config (name, value, created_at, updated_at) VALUES (?, ?, ?, ?)");
      for (const [name, value] of SEED_ROWS) insert.run(name, value, now, now);
    })();
  } finally {
    db.close();
  }
}
