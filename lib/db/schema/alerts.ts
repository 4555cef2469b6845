import { sqliteTable, text, integer, real, primaryKey } from "drizzle-orm/sqlite-core";

export const ALERT_STATES = ["inactive", "pending", "firing", "resolved"] as const;
export type AlertStateName = (typeof ALERT_STATES)[number];

/** One row per service and alert rule: where the rule stands on the live colour, kept across restarts. */
export const alertStates = sqliteTable(
  "alert_states",
  {
    service: text("service").notNull(),
    rule: text("rule").notNull(),
    state: text("state", { enum: ALERT_STATES }).notNull(),
    slot: text("slot", { enum: ["blue", "green"] }),
    value: real("value"),
    pendingSince: integer("pending_since"),
    firingSince: integer("firing_since"),
    resolvedAt: integer("resolved_at"),
    /** When the firing was queued for Slack and PagerDuty; null while it is silenced (or not firing). */
    notifiedAt: integer("notified_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.service, t.rule] })],
);

/** An on-call's silence of one rule, or of every rule of the service when `rule` is null. */
export const alertSilences = sqliteTable("alert_silences", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  service: text("service").notNull(),
  rule: text("rule"),
  reason: text("reason").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  endsAt: integer("ends_at").notNull(),
});

export type AlertState = typeof alertStates.$inferSelect;
export type AlertSilence = typeof alertSilences.$inferSelect;
