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

const TARGET = 100_000;
const LINES = 500_000;

function makeLines(n: number): string[] {
  const out: string[] = [];
  const t0 = 1_795_000_000;
  for (let i = 0; i < n; i++) {
    const ts = (t0 + i / 5000).toFixed(3);
    const status = i % 97 === 0 ? 502 : 200;
    const rt = ((5 + ((i * 7919) % 400)) / 1000).toFixed(3);
    const port = i % 3 === 0 ? 3001 : 3000;
    out.push(
      `{"time":"2026-11-16T20:26:40+00:00","ts":${ts},"status":${status},"request_time":${rt},"upstream_addr":"127.0.0.1:${port}",` +
        `"upstream_status":"${status}","method":"GET","uri":"/api/stocks/${i % 500}","bytes":${200 + (i % 50)}}`,
    );
  }
  return out;
}

export default async function ingest(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-bench-ingest-"));
  try {
    const lines = makeLines(LINES);
    const file = path.join(dir, "access.log");
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const config = configSchema.parse({
      nginx: { mainConfig: "/x", upstreamDir: "/y", lbUrl: "http://127.0.0.1:1" },
      services: [{ name: "shop", image: "shop", slots: { blue: { port: 3000 }, green: { port: 3001 } } }],
    });
    const attribute = buildAttribution(config);

    const best = (parse: (l: string) => unknown) => {
      let fastest = Infinity;
      for (let round = 0; round < 3; round++) {
        const start = performance.now();
        for (const l of lines) if (!parse(l)) throw new Error("unparsed line");
        fastest = Math.min(fastest, performance.now() - start);
      }
      return LINES / (fastest / 1000);
    };
    const parseRate = best(parseAccessLine);
    const jsonRate = best((l) => JSON.parse(l));

    const db = openDb(path.join(dir, "greenlight.db"));
    const recorder = new MetricsRecorder();
    let seen = 0;
    const tailer = new FileTailer({ file, from: "start", onLines: (batch) => void (seen += ingestLines(batch, attribute, recorder).parsed) });
    const t = performance.now();
    await tailer.poll();
    const points = flushMetrics(db, recorder).length;
    const seconds = (performance.now() - t) / 1000;
    await tailer.stop();
    db.$client.close();
    if (seen !== LINES) throw new Error(`ingested ${seen} of ${LINES} lines`);
    const rate = Math.round(LINES / seconds);
    const mb = fs.statSync(file).size / 1024 / 1024;
    console.log(`parse only (hand-rolled)   ${Math.round(parseRate).toLocaleString("en")} lines/s`);
    console.log(`parse only (JSON.parse)    ${Math.round(jsonRate).toLocaleString("en")} lines/s`);
    console.log(`file -> rollups -> SQLite  ${LINES.toLocaleString("en")} lines, ${mb.toFixed(1)} MiB, ${points} per-second rows in ${seconds.toFixed(2)} s`);
    console.log(`target ${TARGET.toLocaleString("en")} lines/s; measured ${rate.toLocaleString("en")} (x${(rate / TARGET).toFixed(2)})`);
    console.log(`lines_per_s=${rate}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
