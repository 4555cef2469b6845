import fs from "node:fs/promises";
import path from "node:path";

/** Free space in whole MB available to Greenlight on the filesystem holding path (or its nearest existing parent). */
export async function freeDiskMb(target: string): Promise<number> {
  let dir = path.resolve(target);
  for (;;) {
    try {
      const stats = await fs.statfs(dir);
      return Math.floor((Number(stats.bavail) * Number(stats.bsize)) / (1024 * 1024));
    } catch (error) {
      const parent = path.dirname(dir);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === dir) throw error;
      dir = parent;
    }
  }
}
