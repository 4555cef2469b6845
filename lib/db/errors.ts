import { AppError } from "@/lib/errors";

export class StorageError extends AppError {
  override readonly status = 503;
  override readonly code = "storage";
}

/** SQLite's own trouble with Greenlight's state, said in words a person can act on; anything else unchanged. */
export function storageError(error: unknown, what: string): unknown {
  const code = (error as { code?: string }).code ?? "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return new StorageError(
      `Greenlight's database is locked by another process, so ${what} was not recorded and nothing was changed. Try again.`,
      { cause: error },
    );
  if (code.startsWith("SQLITE_FULL") || code.startsWith("SQLITE_IOERR"))
    return new StorageError(
      `Greenlight's database could not be written (${code === "SQLITE_FULL" ? "disk full" : "I/O error"}), so ${what} was not recorded and nothing was changed.`,
      { cause: error },
    );
  return error;
}
