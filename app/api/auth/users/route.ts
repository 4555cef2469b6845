import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { listUsers } from "@/lib/auth/list-users";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** Admin only: every user with role and state, never password hashes. */
export async function GET(req: Request): Promise<Response> {
  try {
    await requireRoleForRequest(req, "admin");
    return Response.json({ users: listUsers(getDb()) }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return apiError(error);
  }
}
