import Database from "better-sqlite3";

/** Opens an existing service database (never creates one) with a 5 s busy timeout. */
export function openServiceDb(dbPath: string, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(dbPath, { fileMustExist: true, readonly: options.readonly ?? false });
  db.pragma("busy_timeout = 5000");
  return db;
}

/** Opens the service database read-only, runs `read` on it and closes it again, whatever `read` does. */
export function readServiceDb<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = openServiceDb(dbPath, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Wraps a name for SQL after it has been checked against sqlite_master. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** User tables (not sqlite_* internals, not Greenlight's own bookkeeping), sorted by name. */
export function userTables(db: Database.Database): string[] {
  const rows = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as Array<{ name: string }>;
  return rows.map((r) => r.name).filter((n) => n !== MIGRATIONS_TABLE);
}

export const MIGRATIONS_TABLE = "_greenlight_migrations";
