import fs from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startTraffic } from "../scripts/stack/traffic";
import { BASE_URL, SCREENS_DIR, storageStatePath } from "./support/env";
import { STACK_LB_URL } from "./support/stack";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const METRICS = ["rps", "errorRate", "p50Ms", "p95Ms", "p99Ms", "cpuPct", "memMb", "dbErrorsPerMin"];
// Requests per bucket by status class, after each colour's figures.
const COUNTS = ["count2xx3xx", "count4xx", "count5xx"];

const iconHref = (page: Page) => page.locator('link[rel~="icon"]').first().getAttribute("href");

test.describe("a tab that tells the state, and sharing the board", () => {
  test.use({ storageState: storageStatePath("viewer") });

  test("the console serves its icons, and an idle service's tab shows its name and the green mark", async ({
    page,
    request,
  }) => {
    for (const [url, type] of [
      ["/icon.svg", "image/svg+xml"],
      ["/icon-alarm.svg", "image/svg+xml"],
      ["/apple-touch-icon.png", "image/png"],
    ] as const) {
      const res = await request.get(url);
      expect(res.status(), url).toBe(200);
      expect(res.headers()["content-type"], url).toContain(type);
    }
    await page.goto("/services/privatetrade");
    await expect(page).toHaveTitle("privatetrade · Greenlight");
    expect(await iconHref(page)).toBe("/icon.svg");
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");
    await page.goto("/services/privatetrade/metrics?window=5m");
    await expect(page).toHaveTitle("privatetrade metrics · Greenlight");
    expect(await iconHref(page)).toBe("/icon.svg");
  });

  test("Export CSV downloads the shown window: one row per bucket, both colours' figures as numbers", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const traffic = startTraffic({ lbUrl: STACK_LB_URL, perSecond: 10, maxMs: 8_000 });
    await traffic.done;
    expect(traffic.sent()).toBeGreaterThan(0);
    // Wait until the requests just sent are ingested (nginx's log is tailed, rollups are flushed each second).
    const rpsTotal = (csv: string) => {
      const [head, ...body] = csv
        .trimEnd()
        .split("\r\n")
        .map((l) => l.split(","));
      const cols = ["blue_rps", "green_rps"].map((c) => head!.indexOf(c));
      return body.reduce((sum, r) => sum + cols.reduce((s, c) => s + Number(r[c]), 0), 0);
    };
    await expect
      .poll(async () => rpsTotal(await (await page.request.get("/api/metrics/privatetrade/export?window=5m")).text()), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(traffic.sent() * 0.5);
    await page.goto("/services/privatetrade/metrics?window=5m");
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("metrics-export-csv").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^greenlight-privatetrade-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv$/);
    const lines = (await fs.readFile(await download.path(), "utf8")).trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header).toEqual([
      "t",
      ...["blue", "green"].flatMap((slot) => [...METRICS, ...COUNTS].map((m) => `${slot}_${m}`)),
    ]);
    const rows = lines.slice(1).map((l) => l.split(","));
    // 5 minutes at one-second buckets.
    expect(rows).toHaveLength(300);
    const times = rows.map((r) => Date.parse(r[0]!));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(1000);
    expect(rows[0]![0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    for (const r of rows) {
      expect(r).toHaveLength(header.length);
      for (const cell of r.slice(1)) if (cell !== "") expect(Number.isFinite(Number(cell)), cell).toBe(true);
    }
    // The traffic just sent through nginx shows as requests on the live colour, and as answers below 400.
    expect(rpsTotal(lines.join("\r\n"))).toBeGreaterThanOrEqual(traffic.sent() * 0.5);
    const under400 = ["blue_count2xx3xx", "green_count2xx3xx"].map((c) => header.indexOf(c));
    expect(
      rows.reduce((sum, r) => sum + under400.reduce((s, c) => s + Number(r[c] || 0), 0), 0),
    ).toBeGreaterThanOrEqual(traffic.sent() * 0.5);
    expect(rows.some((r) => r[header.indexOf("blue_p95Ms")] !== "" || r[header.indexOf("green_p95Ms")] !== "")).toBe(
      true,
    );
  });

  test("a panel's PNG button saves the chart as a PNG image", async ({ page }) => {
    await page.goto("/services/privatetrade/metrics?window=15m");
    await expect(page.getByTestId("panel-p95Ms").locator("svg.recharts-surface")).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("png-p95Ms").click()]);
    expect(download.suggestedFilename()).toMatch(/^greenlight-privatetrade-p95Ms-\d+-\d+\.png$/);
    await download.saveAs(path.join(SCREENS_DIR, "board-share", "panel-p95Ms.png"));
    const bytes = await fs.readFile(await download.path());
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    // Width and height from the IHDR chunk: the panel at twice its CSS size, taller by the title band.
    const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    const box = (await page.getByTestId("panel-p95Ms").locator("svg.recharts-surface").boundingBox())!;
    expect(width).toBe(Math.ceil(box.width * 2));
    expect(height).toBeGreaterThan(box.height * 2);
    expect(bytes.length).toBeGreaterThan(2000);
  });

  test("the export route refuses an unknown window and a caller without a session", async ({ request }) => {
    const bad = await request.get("/api/metrics/privatetrade/export?window=2d");
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('Unknown window "2d"');
    const backwards = await request.get("/api/metrics/privatetrade/export?from=2000&to=1000");
    expect(backwards.status()).toBe(400);
    const range = await request.get("/api/metrics/privatetrade/export?from=1764770400&to=1764774000");
    expect(range.status()).toBe(200);
    expect(range.headers()["content-type"]).toContain("text/csv");
    // An hour a year back is read from the per-minute rollups: 60 rows under the header.
    expect((await range.text()).trimEnd().split("\r\n")).toHaveLength(61);
    const unsigned = await fetch(`${BASE_URL}/api/metrics/privatetrade/export?window=1h`);
    expect(unsigned.status).toBe(401);
  });
});
