import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { verifyAuditChain } from "@/lib/audit/verify";

/** Usage: tsx scripts/audit-verify.ts [greenlight.db]; exits 1 when the audit chain is broken, 2 when it cannot check. */
function main(): number {
  const file = path.resolve(process.argv[2] ?? path.join(process.env.GREENLIGHT_DATA_DIR ?? "./data", "greenlight.db"));
  if (!fs.existsSync(file)) {
    console.error(`No Greenlight database at ${file}`);
    return 2;
  }
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const verdict = verifyAuditChain({ $client: sqlite });
    if (verdict.ok) {
      console.log(`Audit chain intact: ${verdict.rows} rows verified in ${file}`);
      return 0;
    }
    console.error(
      `Audit chain BROKEN at row ${verdict.brokenAt}: ${verdict.reason} (${verdict.rows} rows verified before it)`,
    );
    return 1;
  } finally {
    sqlite.close();
  }
}

process.exitCode = main();
