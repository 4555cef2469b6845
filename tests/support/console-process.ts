/**
 * Greenlight's one process as the console runs it, minus the page rendering: start() (configuration, database,
 * engine with its lease, recovery, collectors, outbox) from lib/jobs/start.ts, and the /api/v1 handlers on
 * 127.0.0.1:CONSOLE_PORT. Tests and benchmarks kill it with SIGKILL and start it again, as a supervisor would.
 */
import { start } from "@/lib/jobs/start";
import { getEngineContext } from "@/lib/deploy/engine";
import { startApiV1Server } from "./api-v1-server";

async function main() {
  await start();
  const server = await startApiV1Server(getEngineContext(), Number(process.env.CONSOLE_PORT));
  console.log(`[console] pid ${process.pid} answers on ${server.url}`);
}

main().catch((error: Error) => {
  console.error(`[console] could not start: ${error.message}`);
  process.exit(1);
});
