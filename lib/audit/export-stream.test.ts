import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { exportAudit } from "./export";
import { auditExportStream, countAudit } from "./export-stream";
import { queryAudit } from "./query";
import { recordAudit } from "./record";

const t = tempDb();
beforeAll(() => {
  t.db.$client.transaction(() => {
    for (let i = 0; i < 2_345; i++)
      recordAudit(t.db, {
        actor: i % 3 ? "alice" : "=bob",
        action: "deploy.start",
        target: `t${i}`,
        reason: i % 7 ? null : 'said "no"',
        details: { i },
        at: 1_000 + i,
      });
  })();
});
afterAll(() => t.close());

const streamed = (query: Parameters<typeof auditExportStream>[1], format: "csv" | "json", batch: number) =>
  new Response(auditExportStream(t.db, query, format, batch)).text();
const everything = (query: Parameters<typeof countAudit>[1]) => queryAudit(t.db, { ...query, limit: 10_000 }).rows;

describe("the streamed audit export", () => {
  it("writes exactly what the whole-list export writes, batch by batch, for CSV and JSON", async () => {
    for (const format of ["csv", "json"] as const) {
      expect(await streamed({}, format, 500)).toBe(exportAudit(everything({}), format));
      expect(await streamed({ actor: "=bob", from: 1_500 }, format, 64)).toBe(
        exportAudit(everything({ actor: "=bob", from: 1_500 }), format),
      );
    }
    expect(JSON.parse(await streamed({}, "json", 1_000))).toHaveLength(2_345);
    expect(countAudit(t.db, { actor: "=bob" })).toBe(782);
    // Rows appended after the export was asked for are not in it.
    const upTo = 2_000;
    const cut = await new Response(auditExportStream(t.db, {}, "json", 300, upTo)).text();
    expect((JSON.parse(cut) as Array<{ id: number }>).map((r) => r.id)).toEqual(
      everything({})
        .filter((r) => r.id <= upTo)
        .map((r) => r.id),
    );
  });

  it("writes an empty export for no matching rows", async () => {
    expect(await streamed({ actor: "nobody" }, "json", 10)).toBe("[]");
    expect(await streamed({ actor: "nobody" }, "csv", 10)).toBe(exportAudit([], "csv"));
  });
});
