import { AppError } from "@/lib/errors";

/** The service database could not be backed up, or the backup did not verify. */
export class BackupError extends AppError {
  override readonly code = "backup_failed";
}

/** A migration of the service database failed; `file` names the migration when one is to blame. */
export class MigrationError extends AppError {
  override readonly code = "migration_failed";
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A restore of the service database from a backup failed. */
export class RestoreError extends AppError {
  override readonly code = "restore_failed";
}

export function sqliteMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
