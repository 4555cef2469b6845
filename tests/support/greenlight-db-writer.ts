/**
 * A second process writing deployments into a Greenlight database until SIGTERM, as a busy console would:
 *   node --import tsx tests/support/greenlight-db-writer.ts <greenlight.db> <first number>
 * Prints "writing" once the first row is in, and "wrote <last number>" when it stops.
 */
import { openDb } from "@/lib/db/client";
import { writeDeployment } from "./greenlight-writes";

const [file, first] = process.argv.slice(2);
const db = openDb(file!);
let n = Number(first);
let stopping = false;
process.on("SIGTERM", () => (stopping = true));

function loop(): void {
  for (let i = 0; i < 5; i++) writeDeployment(db, n++);
  if (n === Number(first) + 5) console.log("writing");
  if (!stopping) return void setImmediate(loop);
  db.$client.close();
  console.log(`wrote ${n - 1}`);
}
loop();
