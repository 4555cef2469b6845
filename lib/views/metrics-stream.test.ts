import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "@/lib/db/client";
import { metricsBus } from "@/lib/metrics/bus";
import { flushMetrics } from "@/lib/metrics/flush-metrics";
import { MetricsRecorder } from "@/lib/metrics/recorder";
import { metricsStreamResponse, type MetricsMessage } from "./metrics-stream";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-metrics-stream-"));
const db = openDb(path.join(dir, "greenlight.db"), path.join(process.cwd(), "migrations"));

afterAll(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Reads SSE frames until `count` data messages and a heartbeat comment arrived. */
async function readMessages(res: Response, count: number): Promise<{ messages: MetricsMessage[]; raw: string }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  const messages: MetricsMessage[] = [];
  while (messages.length < count || !raw.includes(": heartbeat")) {
    const { value, done } = await reader.read();
    if (done) break;
    raw += decoder.decode(value);
    const frames = raw.split("\n\n");
    messages.length = 0;
    for (const f of frames) if (f.startsWith("data: ")) messages.push(JSON.parse(f.slice(6)) as MetricsMessage);
  }
  reader.releaseLock();
  return { messages, raw };
}

describe("metricsStreamResponse", () => {
  it("sends the window, then each flushed point of its service only, and lets go of the bus on abort", async () => {
    const now = Math.floor(Date.now() / 1000);
    const listeners = metricsBus.listenerCount("point");
    const abort = new AbortController();
    const res = metricsStreamResponse({ db, service: "shop", window: "15m", signal: abort.signal, heartbeatMs: 20 });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(metricsBus.listenerCount("point")).toBe(listeners + 1);

    const rec = new MetricsRecorder();
    const t = Math.floor(now / 3) * 3;
    rec.request("shop", "green", t, 200, 40);
    rec.request("shop", "green", t + 1, 500, 60);
    rec.request("other", "green", t, 200, 10);
    setTimeout(() => flushMetrics(db, rec), 50);

    const { messages, raw } = await readMessages(res, 3);
    expect(messages[0]).toMatchObject({ type: "window", data: { window: "15m", stepSeconds: 3 } });
    const points = messages.slice(1).filter((m) => m.type === "point");
    expect(points).toHaveLength(2);
    // At a 3 s step each flushed second is sent as its whole step re-read from the store: the second point covers both.
    expect(points[1]).toMatchObject({ type: "point", slot: "green", point: { t, rps: 2 / 3, errorRate: 50 } });
    expect(raw).toMatch(/^retry: 2000\n\n/);
    expect(raw).toMatch(/\n\n: heartbeat \d+\n\n/);

    abort.abort();
    expect(metricsBus.listenerCount("point")).toBe(listeners);
  });
});
