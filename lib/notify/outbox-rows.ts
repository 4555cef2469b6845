import type { NotificationOutboxRow } from "@/lib/db/schema";

export type OutboxDb = { $client: import("better-sqlite3").Database };

export type NewOutboxRow = Pick<
  NotificationOutboxRow,
  "service" | "channel" | "channelType" | "kind" | "payload" | "dedupKey"
> &
  Partial<Pick<NotificationOutboxRow, "status" | "attempts" | "lastError" | "sentAt">>;

export function insertOutboxRow(db: OutboxDb, row: NewOutboxRow, now = Date.now()): number {
  const result = db.$client
    .prepare(
      `INSERT INTO notification_outbox (service, channel, channel_type, kind, payload, status, attempts, next_attempt_at, last_error, created_at, sent_at, dedup_key)
       VALUES (@service, @channel, @channelType, @kind, @payload, @status, @attempts, @now, @lastError, @now, @sentAt, @dedupKey)`,
    )
    .run({ status: "pending", attempts: 0, lastError: null, sentAt: null, ...row, now });
  return Number(result.lastInsertRowid);
}

const SELECT = `SELECT id, service, channel, channel_type AS channelType, kind, payload, status, attempts, next_attempt_at AS nextAttemptAt,
  last_error AS lastError, created_at AS createdAt, sent_at AS sentAt, dedup_key AS dedupKey FROM notification_outbox`;

export function listOutbox(
  db: OutboxDb,
  filter: { service?: string; status?: NotificationOutboxRow["status"] } = {},
): NotificationOutboxRow[] {
  return db.$client
    .prepare(
      `${SELECT} WHERE (@service IS NULL OR service = @service) AND (@status IS NULL OR status = @status) ORDER BY id`,
    )
    .all({ service: filter.service ?? null, status: filter.status ?? null }) as NotificationOutboxRow[];
}

/** The oldest pending row of one channel: delivery is in order per channel, so a trigger never trails its resolve. */
export function headOfChannel(db: OutboxDb, service: string, channel: string): NotificationOutboxRow | undefined {
  return db.$client
    .prepare(`${SELECT} WHERE status = 'pending' AND service = ? AND channel = ? ORDER BY id LIMIT 1`)
    .get(service, channel) as NotificationOutboxRow | undefined;
}

export function pendingChannels(db: OutboxDb): Array<{ service: string; channel: string }> {
  return db.$client
    .prepare("SELECT DISTINCT service, channel FROM notification_outbox WHERE status = 'pending'")
    .all() as Array<{
    service: string;
    channel: string;
  }>;
}

/** Deletes delivered and dead rows older than `olderThanMs`; pending ones are kept whatever their age. */
export function pruneOutbox(db: OutboxDb, olderThanMs: number, now = Date.now()): number {
  return db.$client
    .prepare("DELETE FROM notification_outbox WHERE status != 'pending' AND created_at < ?")
    .run(now - olderThanMs).changes;
}
