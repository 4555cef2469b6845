import { errorResponse } from "@/lib/auth/error-response";
import { getUser } from "@/lib/auth/find-user";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { assertSameOrigin } from "@/lib/auth/same-origin";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** Admin only: signs a user out everywhere. */
export async function DELETE(req: Request, { params }: { params: Promise<{ username: string }> }): Promise<Response> {
  try {
    assertSameOrigin(req);
    await requireRoleForRequest(req, "admin");
    const db = getDb();
    const user = getUser(db, (await params).username);
    return Response.json({ username: user.username, revoked: revokeUserSessions(db, user.id) });
  } catch (error) {
    return errorResponse(error);
  }
}
