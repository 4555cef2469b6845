import { z } from "zod";
import { approveRollback } from "@/lib/approvals/approve-rollback";
import { expireRequests } from "@/lib/approvals/expire-requests";
import { APPROVER_ROLES, REQUESTER_ROLES } from "@/lib/approvals/policy";
import { rollbackReadiness } from "@/lib/approvals/readiness";
import { rejectRollback } from "@/lib/approvals/reject-rollback";
import { requestRollback } from "@/lib/approvals/request-rollback";
import { getRollbackRequest, listRollbackRequests } from "@/lib/approvals/store";
import { assertCallerScope, authenticate } from "./authenticate";
import { guarded } from "./guarded";
import { json, param, readBody, serviceParam } from "./respond";

const requestIdParam = z.string().regex(/^[a-z0-9-]{1,64}$/, "not a request id");
const requestLinks = (id: string) => ({
  approve: `/api/v1/rollback-requests/${id}/approve`,
  reject: `/api/v1/rollback-requests/${id}/reject`,
});

export const createRollbackRequest = guarded<{ service: string }>(
  async (req, params, ctx) => {
    const service = param(serviceParam, params.service, "service");
    const caller = authenticate(req, ctx, REQUESTER_ROLES, service);
    const body = await readBody(req, z.strictObject({ reason: z.string().max(2000) }));
    const created = await requestRollback(ctx, { service, reason: body.reason }, caller.user, caller.origin);
    return json({ request: created, links: requestLinks(created.id) }, 201);
  },
  { action: "rollback.request", target: (p) => `service:${String(p.service).slice(0, 100)}` },
);

export const listRollbackRequestsHandler = guarded<{ service: string }>(async (req, params, ctx) => {
  const service = param(serviceParam, params.service, "service");
  authenticate(req, ctx, "viewer", service);
  // Expiry is also enforced on approval; doing it here keeps the list everyone watches truthful.
  expireRequests(ctx);
  return json({ requests: listRollbackRequests(ctx.db, service, 20), readAt: Date.now() });
});

export const readinessHandler = guarded<{ service: string }>(async (req, params, ctx) => {
  const service = param(serviceParam, params.service, "service");
  authenticate(req, ctx, "viewer", service);
  return json(await rollbackReadiness(ctx, service));
});

function scopedRequest(
  ctx: Parameters<typeof approveRollback>[0],
  user: Parameters<typeof approveRollback>[2],
  rawId: string,
) {
  const req = getRollbackRequest(ctx.db, param(requestIdParam, rawId, "request id"));
  assertCallerScope(user, req.service);
  return req;
}

export const approve = guarded<{ id: string }>(
  async (req, params, ctx) => {
    const caller = authenticate(req, ctx, APPROVER_ROLES);
    const { id } = scopedRequest(ctx, caller.user, params.id);
    return json({ request: await approveRollback(ctx, id, caller.user, caller.origin) });
  },
  { action: "rollback.approve", target: (p) => `rollback_request:${String(p.id).slice(0, 64)}` },
);

export const reject = guarded<{ id: string }>(
  async (req, params, ctx) => {
    const caller = authenticate(req, ctx, APPROVER_ROLES);
    const { id } = scopedRequest(ctx, caller.user, params.id);
    const body = await readBody(req, z.strictObject({ reason: z.string().max(2000) }));
    return json({ request: rejectRollback(ctx, id, caller.user, body.reason, caller.origin) });
  },
  { action: "rollback.reject", target: (p) => `rollback_request:${String(p.id).slice(0, 64)}` },
);
