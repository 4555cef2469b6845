import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

export const metricMeta = sqliteTable("metric_meta", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});
