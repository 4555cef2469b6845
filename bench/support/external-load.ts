import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { LoadOptions, LoadResult } from "@/scripts/stack/load";

export type Counts = Omit<LoadResult, "latenciesMs">;

const ROOT = path.resolve(__dirname, "../..");

function collect(child: ChildProcess, parse: (out: string) => Counts, what: string): Promise<Counts> {
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new Error(`${what} did not start: ${error.message}`)));
    child.on("close", () => {
      try {
        resolve(parse(out));
      } catch (error) {
        reject(new Error(`${what} gave no result (${(error as Error).message}): ${err.slice(-400)}`));
      }
    });
  });
}

/** A Node load client kind (scripts/stack/load.ts) in its own process; stop() ends it and yields its counts. */
export function nodeLoad(options: LoadOptions): { stop: () => Promise<Counts> } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "scripts/stack/load-worker.ts"), JSON.stringify(options)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const done = collect(child, (out) => JSON.parse(out.trim().split("\n").at(-1)!) as Counts, "the node load client");
  return { stop: () => (child.kill("SIGTERM"), done) };
}

/**
 * Debian's `hey` (Go's HTTP client: keep-alive, and it re-sends an idempotent request once when a reused idle
 * connection was closed, as browsers do) at a fixed rate; stop() interrupts it, and it prints its summary.
 */
export function heyLoad(
  url: string,
  workers: number,
  perWorkerRps: number,
  maxSeconds: number,
): { stop: () => Promise<Counts> } {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost)[:/]/.test(url))
    throw new Error(`load is only ever sent to loopback, not ${url}`);
  const child = spawn(
    "hey",
    ["-z", `${maxSeconds}s`, "-c", String(workers), "-q", String(perWorkerRps), "-t", "10", url],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const done = collect(child, parseHey, "hey (apt-get install hey)");
  return { stop: () => (child.kill("SIGINT"), done) };
}

/** hey's summary: "[200]\t1234 responses" lines under the status codes, "[n]\tGet ...: EOF" under the errors. */
export function parseHey(out: string): Counts {
  const section = (title: string) => out.split(title)[1]?.split(/\n\s*\n/)[0] ?? "";
  const counts: Counts = { requests: 0, ok: 0, non2xx: 0, connectionErrors: 0, retriedStale: 0, byStatus: {} };
  if (!out.includes("Summary:")) throw new Error("no summary");
  for (const m of section("Status code distribution:").matchAll(/\[(\d{3})\]\s+(\d+) responses/g)) {
    const status = Number(m[1]);
    const n = Number(m[2]);
    counts.byStatus[status] = n;
    counts.requests += n;
    if (status >= 200 && status < 300) counts.ok += n;
    else counts.non2xx += n;
  }
  for (const m of section("Error distribution:").matchAll(/\[(\d+)\]\s+/g)) {
    counts.connectionErrors += Number(m[1]);
    counts.requests += Number(m[1]);
  }
  return counts;
}
