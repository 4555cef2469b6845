/**
 * One load client kind in a process of its own: `node --import tsx scripts/stack/load-worker.ts '<LoadOptions JSON>'`.
 * Sends until its bounds or SIGTERM, then prints its LoadResult (without the latency list) as one JSON line.
 */
import { runLoad, type LoadOptions } from "./load";

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
runLoad(options, stop.signal).then(
  (result) => {
    const { latenciesMs, ...counts } = result;
    process.stdout.write(JSON.stringify({ ...counts, answered: latenciesMs.length }) + "\n");
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
