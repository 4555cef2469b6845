/**
 * Greenlight's own database: an online, verified backup, and its restore.
 *   npm run backup -- [--out DIR] [--keep N]     (default DIR: $GREENLIGHT_DATA_DIR/backups, N: 7)
 *   npm run restore -- <backup file>             (into $GREENLIGHT_DATA_DIR, with Greenlight stopped)
 * Exit codes: 0 done, 1 the backup or restore failed (the message says why and what to do), 2 bad usage.
 */
import { parseArgs } from "node:util";
import { dataDir } from "@/lib/db/client";
import { backupGreenlightDb, DEFAULT_KEEP } from "@/lib/db/backup";
import { restoreGreenlightDb } from "@/lib/db/restore";
import { AppError, ValidationError } from "@/lib/errors";

const USAGE = `usage: backup.ts backup [--out DIR] [--keep N]
       backup.ts restore <backup file>`;

const size = (bytes: number) =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: "string" }, keep: { type: "string" } },
  });
  if (command === "backup") {
    const keep = values.keep === undefined ? DEFAULT_KEEP : Number(values.keep);
    const b = await backupGreenlightDb({ dataDir: dataDir(), outDir: values.out, keep });
    console.log(`Backup ${b.file}`);
    console.log(
      `  ${size(b.bytes)}, taken ${b.at.toISOString()} in ${b.ms} ms; integrity ok; ${b.migrations.length} migrations applied (latest ${b.migrations.at(-1) ?? "none"})`,
    );
    console.log(`  ${b.rows.deployments} deployments, ${b.rows.audit_log} audit rows, ${b.rows.users} users`);
    console.log(`  kept the newest ${keep}${b.removed.length ? `; removed ${b.removed.join(", ")}` : ""}`);
    return;
  }
  if (command === "restore") {
    const [file] = positionals;
    if (!file) throw new ValidationError(`restore needs the backup file\n${USAGE}`);
    const r = restoreGreenlightDb({ backupFile: file, dataDir: dataDir() });
    console.log(`Restored ${file} as ${r.file}`);
    console.log(`  migrations applied on top: ${r.migrated.join(", ") || "none"}`);
    if (!r.audit.ok) {
      console.error(
        `  audit chain BROKEN at row ${r.audit.brokenAt}: ${r.audit.reason}; keep this backup and investigate`,
      );
      process.exitCode = 1;
    } else console.log(`  audit chain intact: ${r.audit.rows} rows verified; start Greenlight now`);
    return;
  }
  throw new ValidationError(USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof ValidationError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(error instanceof AppError || usage ? (error as Error).message : error);
  process.exitCode = usage ? 2 : 1;
});
