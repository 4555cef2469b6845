import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";
import type { TestReportSummary } from "@/lib/release/junit";
import { deployments } from "./deployments";

/** The notes and test report summary a release was started with; at most one row per deployment. */
export const releaseAttachments = sqliteTable("release_attachments", {
  deploymentId: text("deployment_id")
    .primaryKey()
    .references(() => deployments.id, { onDelete: "cascade" }),
  notes: text("notes"),
  testSummary: text("test_summary", { mode: "json" }).$type<TestReportSummary>(),
  /** Why a release manager started it although its report has failures (also in the start's audit row). */
  testFailureOverride: text("test_failure_override"),
  createdAt: integer("created_at").notNull(),
});

export type ReleaseAttachments = typeof releaseAttachments.$inferSelect;
