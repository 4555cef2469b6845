import { count } from "drizzle-orm";
import { getDb, type Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { ConflictError } from "@/lib/errors";
import { createUser } from "./create-user";

/**
 * On first start, with no users at all and GREENLIGHT_ADMIN_PASSWORD set, creates `admin`.
 * Returns the username created, or null when nothing was done.
 */
export async function ensureBootstrapAdmin(
  database?: Db,
  env: Record<string, string | undefined> = process.env,
): Promise<string | null> {
  const password = env.GREENLIGHT_ADMIN_PASSWORD;
  if (!password) return null;
  const db = database ?? getDb();
  const existing = db.select({ n: count() }).from(users).get()?.n ?? 0;
  if (existing > 0) return null;
  try {
    const user = await createUser(db, { username: "admin", password, role: "admin" });
    return user.username;
  } catch (error) {
    // Another process got there first.
    if (error instanceof ConflictError) return null;
    throw error;
  }
}
