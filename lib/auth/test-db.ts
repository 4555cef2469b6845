import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb, type Db } from "@/lib/db/client";

/** A migrated Greenlight database in its own temp dir, for tests. */
export function tempDb(): { db: Db; dir: string; close: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-auth-"));
  const db = openDb(path.join(dir, "greenlight.db"), path.join(process.cwd(), "migrations"));
  return {
    db,
    dir,
    close: () => {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
