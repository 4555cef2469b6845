/**
 * Access-log ingestion on one core: lines per second from the file through the tailer, the parser,
 * colour attribution and the per-second rollups, then flushed to SQLite. Target >= 100,000.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { configSchema } from "@/lib/config/schema";
import { openDb } from "@/lib/db/client";
import { buildAttribution } from "@/lib/metrics/attribute-upstream";
import { ingestLines } from "@/lib/metrics/access-log-collector";
import { FileTailer } from "@/lib/metrics/file-tailer";
import { parseAccessLine } from "@/lib/metrics/parse-access-line";
import { MetricsRecorder } from "@/lib/metrics/recorder";
import { flushMetrics } from "@/lib/metrics/flush-metrics";
import { median } from "./support/stats";

const TARGET = 100_000;
const LINES = 500_000;
const RUNS = 5;

const PATHS = [
  "/api/health",
  "/api/config",
  "/api/stocks/specific",
  "/api/backtest/run",
  "/static/app.js",
  "/api/stocks/mode",
];
const STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 304, 400, 404, 500, 502, 503];

/**
 * Realistic mixed lines: varied paths and query strings, statuses, methods, both colours and the occasional request
 * nginx answered itself (upstream "-") or that tried two upstreams, and ~1 % malformed lines (cut short, not JSON).
 */
function makeLines(n: number): { lines: string[]; malformed: number } {
  const out: string[] = [];
  let malformed = 0;
  const t0 = 1_795_000_000;
  for (let i = 0; i < n; i++) {
    const h = (i * 2654435761) >>> 0;
    const ts = (t0 + i / 5000).toFixed(3);
    const status = STATUSES[h % STATUSES.length]!;
    const rt = ((1 + (h % 2500)) / 1000).toFixed(3);
    const port = h % 3 === 0 ? 3001 : 3000;
    const upstream = h % 211 === 0 ? "-" : h % 157 === 0 ? `127.0.0.1:3000, 127.0.0.1:${port}` : `127.0.0.1:${port}`;
    const uri = `${PATHS[h % PATHS.length]}${h % 5 === 0 ? `?from=${h % 10_000}&code=${(h >>> 8) % 999_999}` : ""}`;
    const method = h % 7 === 0 ? "POST" : h % 29 === 0 ? "DELETE" : "GET";
    const line =
      `{"time":"2026-11-16T20:26:40+00:00","ts":${ts},"status":${status},"request_time":${rt},"upstream_addr":"${upstream}",` +
      `"upstream_status":"${upstream === "-" ? "-" : status}","method":"${method}","uri":"${uri}","bytes":${120 + (h % 40_000)}}`;
    if (h % 101 === 0) {
      malformed++;
      out.push(h % 2 ? line.slice(0, 40 + (h % 60)) : `GET ${uri} HTTP/1.1 ${status}`);
    } else out.push(line);
  }
  return { lines: out, malformed };
}

export default async function ingest(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-bench-ingest-"));
  try {
    const { lines, malformed } = makeLines(LINES);
    const file = path.join(dir, "access.log");
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const config = configSchema.parse({
      nginx: { mainConfig: "/x", upstreamDir: "/y", lbUrl: "http://127.0.0.1:1" },
      services: [{ name: "shop", image: "shop", slots: { blue: { port: 3000 }, green: { port: 3001 } } }],
    });
    const attribute = buildAttribution(config);

    const medianRate = (parse: (l: string) => unknown) => {
      const rates: number[] = [];
      for (let round = 0; round < RUNS; round++) {
        const start = performance.now();
        for (const l of lines) parse(l);
        rates.push(LINES / ((performance.now() - start) / 1000));
      }
      return median(rates);
    };
    const parseRate = medianRate(parseAccessLine);
    const jsonRate = medianRate((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    });

    const rates: number[] = [];
    let points = 0;
    let seconds = 0;
    for (let round = 0; round < RUNS; round++) {
      const db = openDb(path.join(dir, `greenlight-${round}.db`));
      const recorder = new MetricsRecorder();
      let seen = 0;
      const tailer = new FileTailer({
        file,
        from: "start",
        onLines: (batch) => void (seen += ingestLines(batch, attribute, recorder).parsed),
      });
      const t = performance.now();
      await tailer.poll();
      points = flushMetrics(db, recorder).length;
      seconds = (performance.now() - t) / 1000;
      await tailer.stop();
      db.$client.close();
      if (seen !== LINES - malformed) throw new Error(`ingested ${seen} of ${LINES - malformed} well-formed lines`);
      rates.push(LINES / seconds);
      console.error(`[ingest] run ${round + 1}/${RUNS}: ${Math.round(LINES / seconds).toLocaleString("en")} lines/s`);
    }
    const rate = Math.round(median(rates));
    const mb = fs.statSync(file).size / 1024 / 1024;
    console.log(
      `${LINES.toLocaleString("en")} mixed lines (${malformed.toLocaleString("en")} malformed), ${mb.toFixed(1)} MiB; medians of ${RUNS} runs`,
    );
    console.log(`parse only (hand-rolled)   ${Math.round(parseRate).toLocaleString("en")} lines/s`);
    console.log(`parse only (JSON.parse)    ${Math.round(jsonRate).toLocaleString("en")} lines/s`);
    console.log(
      `file -> rollups -> SQLite  ${points} per-second rows; runs ${rates.map((r) => Math.round(r).toLocaleString("en")).join(", ")} lines/s`,
    );
    console.log(
      `target ${TARGET.toLocaleString("en")} lines/s; measured ${rate.toLocaleString("en")} (x${(rate / TARGET).toFixed(2)})`,
    );
    console.log(`lines_per_s=${rate}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
