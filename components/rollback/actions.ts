"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { action } from "@/lib/actions/safe-action";
import { approveRollback } from "@/lib/approvals/approve-rollback";
import { breakGlassRollback } from "@/lib/approvals/break-glass";
import { APPROVER_ROLES, REQUESTER_ROLES } from "@/lib/approvals/policy";
import { rejectRollback } from "@/lib/approvals/reject-rollback";
import { requestRollback } from "@/lib/approvals/request-rollback";
import { auditFromRequest } from "@/lib/audit/from-request";
import { getEngineContext } from "@/lib/deploy/engine";

const origin = async () => auditFromRequest(await headers());
// Reasons are checked by the verbs themselves, so a refused attempt is audited with the same words the user sees.
const text = z.string().max(2000);

export const requestRollbackAction = action(
  REQUESTER_ROLES,
  z.object({ service: z.string().min(1), reason: text }),
  async (input, { user }) => {
    const req = await requestRollback(getEngineContext(), input, user, await origin());
    return { id: req.id, expiresAt: req.expiresAt };
  },
  "rollback.request",
);

export const approveRollbackAction = action(
  APPROVER_ROLES,
  z.object({ id: z.string().min(1).max(64) }),
  async (input, { user }) => {
    const req = await approveRollback(getEngineContext(), input.id, user, await origin());
    return { id: req.id, status: req.status, result: req.result };
  },
  "rollback.approve",
);

export const rejectRollbackAction = action(
  APPROVER_ROLES,
  z.object({ id: z.string().min(1).max(64), reason: text }),
  async (input, { user }) => {
    const req = rejectRollback(getEngineContext(), input.id, user, input.reason, await origin());
    return { id: req.id, status: req.status };
  },
  "rollback.reject",
);

export const breakGlassAction = action(
  "admin",
  z.object({ service: z.string().min(1), reason: text }),
  async (input, { user }) => {
    const dep = await breakGlassRollback(getEngineContext(), input, user, await origin());
    return {
      deploymentId: dep.id,
      status: dep.status,
      message: `Traffic back on ${dep.fromSlot} (${dep.fromVersion}).`,
    };
  },
  "rollback.break_glass",
);
