import { describe, expect, it } from "vitest";
import { monitoringPlanSchema } from "./schema";
import { planItems } from "./items";

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

describe("the monitoring plan's items after a switch", () => {
  it("the seed's defaults: five checkpoints, hourly reports at T+1.5 h, T+2.5 h, T+3 h, and daily reports at 09:00 UTC to T+72 h", () => {
    const switched = at("2026-03-02T14:00:00Z");
    const items = planItems(monitoringPlanSchema.parse(undefined), switched);
    const checkpoints = items.filter((i) => i.kind === "checkpoint");
    expect(checkpoints.map((i) => [i.name, (i.dueAt - switched) / MIN, (i.windowFrom - switched) / MIN])).toEqual([
      ["T+10 initial", 10, 0],
      ["T+15 performance", 15, 10],
      ["T+20 performance", 20, 15],
      ["T+25 error rate", 25, 20],
      ["T+30 final status", 30, 0],
    ]);
    // From T+30 min every hour up to T+3 h: reports at T+90 and T+150 minutes over the hour before, the last at T+3 h.
    expect(
      items
        .filter((i) => i.kind === "hourly")
        .map((i) => [(i.windowFrom - switched) / MIN, (i.dueAt - switched) / MIN]),
    ).toEqual([
      [30, 90],
      [90, 150],
      [150, 180],
    ]);
    // Switched 14:00 on 2 March: 09:00 on 3, 4 and 5 March; 5 March 09:00 is T+67 h, within 72 h.
    expect(items.filter((i) => i.kind === "daily").map((i) => new Date(i.dueAt).toISOString())).toEqual([
      "2026-03-03T09:00:00.000Z",
      "2026-03-04T09:00:00.000Z",
      "2026-03-05T09:00:00.000Z",
    ]);
    const daily = items.find((i) => i.kind === "daily")!;
    expect(daily.windowFrom).toBe(switched);
    expect(items.map((i) => i.dueAt)).toEqual([...items.map((i) => i.dueAt)].sort((a, b) => a - b));
  });

  it("a daily report is never due before the hourly ones end, and a disabled plan has no items", () => {
    const switched = at("2026-03-02T08:00:00Z");
    const items = planItems(monitoringPlanSchema.parse({}), switched);
    // 09:00 the same day is only T+1 h: the first daily report is the next day's.
    expect(items.find((i) => i.kind === "daily")?.key).toBe("daily:2026-03-03");
    expect(planItems(monitoringPlanSchema.parse({ enabled: false }), switched)).toEqual([]);
  });

  it("bad plans are refused with the field named", () => {
    expect(() => monitoringPlanSchema.parse({ daily: { atUtc: "9am" } })).toThrow(/HH:MM/);
    expect(() =>
      monitoringPlanSchema.parse({
        checkpoints: [
          { name: "a", atMinutes: 1, checks: ["p95"] },
          { name: "a", atMinutes: 2, checks: ["p95"] },
        ],
      }),
    ).toThrow(/unique/);
    expect(() =>
      monitoringPlanSchema.parse({ checkpoints: [{ name: "a", atMinutes: 1, checks: ["vibes"] }] }),
    ).toThrow();
  });
});
