import { apiError } from "@/lib/http/respond";
import { requireRoleForRequest } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** Who am I: the signed-in user, or 401. */
export async function GET(req: Request): Promise<Response> {
  try {
    const user = await requireRoleForRequest(req, "viewer");
    return Response.json({ user }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return apiError(error);
  }
}
