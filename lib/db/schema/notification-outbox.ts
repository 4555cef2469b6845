import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";

/** Notifications waiting for (or done with) delivery; `payload` never holds the channel's secret. */
export const notificationOutbox = sqliteTable(
  "notification_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    service: text("service").notNull(),
    channel: text("channel").notNull(),
    channelType: text("channel_type", { enum: ["slack", "pagerduty"] }).notNull(),
    kind: text("kind").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "sent", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    dedupKey: text("dedup_key"),
  },
  (t) => [
    index("notification_outbox_pending").on(t.status, t.service, t.channel, t.id),
    index("notification_outbox_channel").on(t.service, t.channel, t.id),
  ],
);

export type NotificationOutboxRow = typeof notificationOutbox.$inferSelect;
