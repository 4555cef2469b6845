import path from "node:path";
import Database from "better-sqlite3";
import { queryAudit } from "@/lib/audit/query";
import type { Db } from "@/lib/db/client";

/** Read-only looks at a running console's database (the server keeps writing; the test never does). */
export function consoleState(dataDir: string) {
  const open = () => new Database(path.join(dataDir, "greenlight.db"), { readonly: true, fileMustExist: true });
  const read = <T>(fn: (db: Database.Database) => T): T => {
    const db = open();
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const deniedTotal = () =>
    read((db) => (db.prepare("SELECT count(*) AS n FROM audit_log WHERE outcome = 'denied'").get() as { n: number }).n);
  const unaudited: string[] = [];

  return {
    /** What a refused call must not change: deployments and their status, users, tokens, requests, queued notifications. */
    snapshot: () =>
      read((db) => ({
        deployments: db.prepare("SELECT id, status FROM deployments ORDER BY id").all(),
        users: db.prepare("SELECT username, role, disabled_at FROM users ORDER BY username").all(),
        tokens: db.prepare("SELECT count(*) AS n FROM api_tokens").get(),
        rollbackRequests: db.prepare("SELECT id, status FROM rollback_requests ORDER BY id").all(),
        outbox: db.prepare("SELECT count(*) AS n FROM notification_outbox").get(),
      })),
    /** Denied audit rows by channel (`details.via`: console for server actions, api for v1, http for other routes). */
    deniedRows: (via: string) =>
      read((db) =>
        queryAudit({ $client: db } as unknown as Db, { outcome: "denied", limit: 10_000 }).rows.filter(
          (r) => (JSON.parse(r.details) as { via?: string }).via === via,
        ),
      ),
    /** The newest denied audit row: who, what and the source address it was recorded with. */
    lastDenied: () =>
      read((db) =>
        db
          .prepare(
            "SELECT actor, action, source_ip AS sourceIp FROM audit_log WHERE outcome = 'denied' ORDER BY id DESC LIMIT 1",
          )
          .get(),
      ) as { actor: string; action: string; sourceIp: string | null } | undefined,
    /** Calls that were refused without a denied audit row of their own. */
    unaudited,
    /** Runs one call that must be refused, noting it when no denied row appeared (the row is written before the answer). */
    async audited<T>(label: string, call: () => Promise<T>): Promise<T> {
      const before = deniedTotal();
      const out = await call();
      if (deniedTotal() <= before) unaudited.push(label);
      return out;
    },
  };
}
