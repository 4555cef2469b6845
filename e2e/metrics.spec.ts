import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { CHART_PALETTES } from "../components/metrics/chart-palette";
import { startTraffic } from "../scripts/stack/traffic";
import { SCREENS_DIR, storageStatePath } from "./support/env";
import { STACK_LB_URL } from "./support/stack";

const SCREENS = path.join(SCREENS_DIR, "metrics");

/** The requests/s both colours show in the panel header right now (whichever colour serves, the sum moves). */
async function shownRps(page: Page): Promise<number> {
  let total = 0;
  for (const slot of ["blue", "green"]) {
    const text = (await page.getByTestId(`current-rps-${slot}`).textContent()) ?? "";
    const n = Number.parseFloat(text.replace(/,/g, ""));
    if (Number.isFinite(n)) total += n;
  }
  return total;
}

test.describe("live metrics board", () => {
  test.use({ storageState: storageStatePath("viewer") });

  test("a viewer watches requests/s rise and move while traffic flows through nginx", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/services/privatetrade/metrics?window=5m");
    await expect(page.getByTestId("metrics-board")).toHaveAttribute("data-window", "5m");
    await expect(page.getByRole("link", { name: "5m", exact: true })).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");
    for (const metric of ["rps", "errorRate", "p95Ms", "cpuPct", "memMb"])
      await expect(page.getByTestId(`panel-${metric}`)).toBeVisible();

    const before = await shownRps(page);
    const traffic = startTraffic({ lbUrl: STACK_LB_URL, perSecond: 20, maxMs: 60_000 });
    try {
      const seen = new Set<number>([before]);
      await expect
        .poll(
          async () => {
            seen.add(await shownRps(page));
            return [...seen].filter((v) => v >= 5).length;
          },
          { timeout: 45_000, intervals: [500] },
        )
        .toBeGreaterThanOrEqual(2);
      expect(traffic.sent()).toBeGreaterThan(0);
      // The chart itself drew the colour's line from the streamed points, not just the header.
      await expect(page.getByTestId("panel-rps").locator(".recharts-line path").first()).toBeVisible();
      await page.screenshot({ path: path.join(SCREENS, "board-5m-live.png"), fullPage: true });

      // The charts follow the theme: lines and grid take the light palette when the reader switches.
      const panel = page.getByTestId("panel-rps");
      const strokes = () =>
        panel
          .locator(".recharts-line path, .recharts-cartesian-grid line")
          .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute("stroke")))].sort());
      const expected = (theme: "dark" | "light") => (seen: (string | null)[]) => {
        const palette = CHART_PALETTES[theme];
        return (
          seen.length > 1 &&
          seen.every((c) => c === palette.grid || c === palette.slot.blue || c === palette.slot.green)
        );
      };
      await expect.poll(async () => expected("dark")(await strokes()), { timeout: 5_000 }).toBe(true);
      await page.getByTestId("theme-toggle").click();
      await expect(page.locator("html")).toHaveClass("light");
      await expect.poll(async () => expected("light")(await strokes()), { timeout: 5_000 }).toBe(true);
      await page.screenshot({ path: path.join(SCREENS, "board-5m-light.png"), fullPage: true });
    } finally {
      traffic.stop();
      await traffic.done;
    }
  });

  test("panels share one crosshair, their legends give last, min, max and mean, and a colour can be hidden", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await page.goto("/services/privatetrade/metrics?window=15m");
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");
    // The traffic of the test before moved requests/s on the live colour: its legend row has real figures.
    const row = page
      .getByTestId("legend-rps")
      .locator("tbody tr")
      .filter({ has: page.locator("[data-value]:not([data-value=''])") })
      .first();
    await expect(row).toBeVisible({ timeout: 15_000 });
    const figure = async (f: string) => Number(await row.locator(`[data-figure=${f}]`).getAttribute("data-value"));
    const [min, mean, max] = [await figure("min"), await figure("mean"), await figure("max")];
    expect(min).toBeLessThanOrEqual(mean);
    expect(mean).toBeLessThanOrEqual(max);
    expect(max).toBeGreaterThan(0);

    // The latency panel gives p50 and p99 beside p95, per colour, from the same histograms: p50 <= p95 <= p99.
    const maxOf = async (testId: string) =>
      Number(await page.getByTestId(testId).locator("[data-figure=max]").getAttribute("data-value"));
    await expect(page.getByTestId("legend-p95Ms-blue-p50Ms")).toBeVisible();
    await expect(page.getByTestId("legend-p95Ms-green-p99Ms")).toBeVisible();
    // The colour that served the traffic (blue or green, by what ran before) is the one with a latency figure.
    const served = (await maxOf("legend-p95Ms-blue")) > 0 ? "blue" : "green";
    const [p50, p95, p99] = [
      await maxOf(`legend-p95Ms-${served}-p50Ms`),
      await maxOf(`legend-p95Ms-${served}`),
      await maxOf(`legend-p95Ms-${served}-p99Ms`),
    ];
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);

    // Hovering one panel draws the same instant's crosshair on every other panel.
    const cursorOf = (metric: string) => page.getByTestId(`panel-${metric}`).locator(".recharts-tooltip-cursor");
    await expect(cursorOf("p95Ms")).toHaveCount(0);
    const surface = page.getByTestId("panel-rps").locator(".recharts-surface").first();
    const box = (await surface.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await expect(page.getByTestId("panel-rps").locator(".recharts-tooltip-wrapper")).toBeVisible();
    // (A vertical line has no area, so it is checked as drawn: one cursor path from top to bottom at one x.)
    for (const metric of ["errorRate", "p95Ms", "cpuPct", "memMb"]) {
      await expect(cursorOf(metric)).toHaveCount(1);
      expect(await cursorOf(metric).getAttribute("d")).toMatch(/^M([\d.]+),[\d.]+L\1,[\d.]+$/);
    }
    await page.screenshot({ path: path.join(SCREENS, "board-crosshair.png"), fullPage: true });

    // Clicking a colour in a legend hides its line in that panel, and a second click brings it back.
    const lines = page.getByTestId("panel-rps").locator(".recharts-line");
    const drawn = await lines.count();
    const blue = page.getByTestId("legend-rps-blue").getByRole("button", { name: "blue" });
    await blue.click();
    await expect(blue).toHaveAttribute("aria-pressed", "false");
    await expect(lines).toHaveCount(drawn - 1);
    await blue.click();
    await expect(blue).toHaveAttribute("aria-pressed", "true");
    await expect(lines).toHaveCount(drawn);
  });

  test("dragging across a panel zooms every panel, back returns, one colour can stand alone, a marker opens its deployment", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await page.goto("/services/privatetrade/metrics?window=15m");
    const board = page.getByTestId("metrics-board");
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");
    const span = async () =>
      Number(await board.getAttribute("data-to")) - Number(await board.getAttribute("data-from"));
    const before = await span();
    expect(before).toBe(900);

    // Drag from 30 % to 70 % of the requests/s chart: every panel shows that span, and the URL keeps it.
    const surface = page.getByTestId("panel-rps").locator(".recharts-surface").first();
    const box = (await surface.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(page).toHaveURL(/from=\d+&to=\d+/);
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "fixed");
    await expect.poll(span).toBeLessThan(before * 0.6);
    await expect.poll(span).toBeGreaterThan(before * 0.2);
    const url = new URL(page.url());
    const [from, to] = [Number(url.searchParams.get("from")), Number(url.searchParams.get("to"))];
    // The same link shows the same view.
    await page.goto(url.toString());
    await expect(board).toHaveAttribute("data-from", String(from));
    await expect(page.getByTestId("panel-p95Ms").locator(".recharts-surface")).toBeVisible();
    expect(to - from).toBeLessThan(before);

    // Back returns to the window ending now, followed live again.
    await page.getByRole("button", { name: "← Back" }).click();
    await expect(page).not.toHaveURL(/from=/);
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");

    // "only" isolates a colour in its panel; a second click shows every colour again.
    const lines = page.getByTestId("panel-rps").locator(".recharts-line");
    await expect(lines).toHaveCount(2);
    await page.getByTestId("isolate-rps-green").click();
    await expect(lines).toHaveCount(1);
    await expect(page.getByTestId("legend-rps-blue").getByRole("button", { name: "blue" })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    await page.getByTestId("isolate-rps-green").click();
    await expect(lines).toHaveCount(2);

    // The stack's releases switched traffic within 72 h: a marker opens its deployment. (At this scale they stand
    // on one another; the newest is drawn last, on top, so the click lands on it.)
    await page.goto("/services/privatetrade/metrics?window=72h");
    const marker = page.getByTestId("panel-rps").locator("[data-testid^=marker-]").last();
    await expect(marker).toBeAttached();
    const id = await marker.getAttribute("data-deployment");
    await marker.click({ force: true });
    await expect(page).toHaveURL(new RegExp(`/deployments/${id}$`));
  });

  test("an absolute range is given in local time, shown in UTC too, and drawn per minute past the seconds' retention", async ({
    browser,
  }) => {
    const context = await browser.newContext({ storageState: storageStatePath("viewer"), timezoneId: "Europe/Paris" });
    const page = await context.newPage();
    await page.goto("/services/privatetrade/metrics?window=1h");
    await page.getByRole("button", { name: "From / to…" }).click();
    await page.locator("input[name=from]").fill("2026-11-20T10:00");
    await page.locator("input[name=to]").fill("2026-11-20T09:00");
    await expect(page.getByTestId("range-from-utc")).toHaveText("2026-11-20 09:00 UTC");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByRole("form", { name: "Absolute time range" }).getByRole("alert")).toHaveText(
      "The end must come after the start.",
    );
    await page.locator("input[name=to]").fill("2026-11-20T12:00");
    await page.getByRole("button", { name: "Apply" }).click();
    const from = Date.UTC(2026, 10, 20, 9, 0) / 1000;
    const to = Date.UTC(2026, 10, 20, 11, 0) / 1000;
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
    await expect(page.getByTestId("metrics-resolution")).toContainText("per-minute");
    const json = await page.request.get(`/api/metrics/privatetrade?from=${from}&to=${to}`);
    expect(await json.json()).toMatchObject({ resolution: "minute", stepSeconds: 60, from, to });
    const bad = await page.request.get("/api/metrics/privatetrade?from=20&to=10");
    expect(bad.status()).toBe(400);
    await context.close();
  });

  test("requests by status stack the live colour's 2xx/3xx, 4xx and 5xx, and a burst of 404s shows as 4xx", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await page.goto("/services/privatetrade/metrics?window=5m");
    await expect(page.getByTestId("metrics-stream")).toHaveAttribute("data-state", "live");
    const panel = page.getByTestId("panel-status");
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("2xx/3xx is every answer below 400");
    // The panel follows the colour nginx serves unless the reader picks one.
    const scope = await panel.getAttribute("data-scope");
    expect(["blue", "green"]).toContain(scope);
    await expect(page.getByTestId(`status-scope-${scope}`)).toHaveAttribute("aria-pressed", "true");

    // 40 requests for a path the app does not have, through nginx: the app answers 404.
    const base = STACK_LB_URL.replace(/\/+$/, "");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const batch = Array.from({ length: 5 }, (_, k) =>
        fetch(`${base}/no-such-page-${i * 5 + k}`, { signal: AbortSignal.timeout(5000) }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      );
      statuses.push(...(await Promise.all(batch)));
      await page.waitForTimeout(250);
    }
    expect(statuses).toEqual(Array(40).fill(404));

    const maxOf = async (c: string) =>
      Number(await page.getByTestId(`legend-status-${c}`).locator("[data-figure=max]").getAttribute("data-value"));
    await expect.poll(() => maxOf("rps4xx"), { timeout: 20_000, intervals: [500] }).toBeGreaterThan(0);
    // The 404s are not counted as 5xx; the stack draws one area per class.
    await expect(panel.locator(".recharts-area-area")).toHaveCount(3);
    await page.screenshot({ path: path.join(SCREENS, "board-status-classes.png"), fullPage: true });

    // Both colours summed still hold the 404s; the header figure reads them too while the burst is recent.
    await page.getByTestId("status-scope-both").click();
    await expect(panel).toHaveAttribute("data-scope", "both");
    expect(await maxOf("rps4xx")).toBeGreaterThan(0);
    const mean4xx = Number(
      await page.getByTestId("legend-status-rps4xx").locator("[data-figure=mean]").getAttribute("data-value"),
    );
    expect(mean4xx).toBeGreaterThan(0);
  });

  test("the time range lives in the URL and the JSON and report routes answer a viewer", async ({ page }) => {
    await page.goto("/services/privatetrade/metrics?window=5m");
    await page.getByRole("link", { name: "1h", exact: true }).click();
    await expect(page).toHaveURL(/window=1h/);
    await expect(page.getByTestId("metrics-board")).toHaveAttribute("data-window", "1h");
    const json = await page.request.get("/api/metrics/privatetrade?window=1h");
    expect(json.status()).toBe(200);
    const body = (await json.json()) as { window: string; stepSeconds: number; series: Record<string, unknown[]> };
    expect(body).toMatchObject({ window: "1h", stepSeconds: 12 });
    expect(body.series.blue).toHaveLength(300);
    const bad = await page.request.get("/api/metrics/privatetrade?window=2d");
    expect(bad.status()).toBe(400);
    const daily = await page.request.get("/api/reports/services/privatetrade/daily?format=csv");
    expect(daily.status()).toBe(200);
    expect((await daily.text()).split("\r\n")[0]).toBe(
      "service,date,requests,successful,failed,success_percent,avg_ms,p95_ms,uptime_percent,observed_minutes,down_minutes",
    );
    await page.screenshot({ path: path.join(SCREENS, "board-1h.png"), fullPage: true });
  });
});

test.describe("without a session", () => {
  test("the stream and the JSON refuse with 401 before streaming anything", async ({ request }) => {
    const stream = await request.get("/api/metrics/privatetrade/stream?window=5m");
    expect(stream.status()).toBe(401);
    expect(stream.headers()["content-type"]).toMatch(/application\/json/);
    expect((await request.get("/api/metrics/privatetrade?window=1h")).status()).toBe(401);
    expect((await request.get("/api/reports/services/privatetrade/daily")).status()).toBe(401);
  });
});
