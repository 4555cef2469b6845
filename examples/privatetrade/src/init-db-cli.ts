import { initDb } from "./init-db";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node init-db.js <database-file>\n");
  process.exit(2);
}
initDb(file);
process.stdout.write(`initialised ${file}\n`);
