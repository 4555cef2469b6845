import { auditFromRequest } from "@/lib/audit/from-request";
import { recordAudit } from "@/lib/audit/record";
import { recordThrottledRefusal } from "@/lib/audit/throttle";
import { apiError } from "@/lib/http/respond";
import { getUser } from "@/lib/auth/find-user";
import { requireRoleForRequest } from "@/lib/auth/guard";
import { userFromRequest } from "@/lib/auth/request-user";
import { assertSameOrigin } from "@/lib/auth/same-origin";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const ACTION = "user.revoke_sessions";

/** Admin only: signs a user out everywhere. Done and refused attempts are both audited. */
export async function DELETE(req: Request, { params }: { params: Promise<{ username: string }> }): Promise<Response> {
  const { username } = await params;
  const target = `user:${username.slice(0, 64)}`;
  const origin = auditFromRequest(req.headers);
  try {
    assertSameOrigin(req);
    const admin = await requireRoleForRequest(req, "admin");
    const db = getDb();
    const user = getUser(db, username);
    const revoked = revokeUserSessions(db, user.id);
    recordAudit(db, {
      actor: admin.username,
      role: admin.role,
      action: ACTION,
      target,
      details: { revoked },
      ...origin,
    });
    return Response.json({ username: user.username, revoked });
  } catch (error) {
    if (error instanceof UnauthorizedError || error instanceof ForbiddenError) {
      const caller = userFromRequest(req);
      (caller ? recordAudit : recordThrottledRefusal)(getDb(), {
        actor: caller?.username ?? "anonymous",
        role: caller?.role ?? null,
        action: ACTION,
        target,
        outcome: "denied",
        reason: error.message,
        details: { via: "http" },
        ...origin,
      });
    }
    return apiError(error);
  }
}
