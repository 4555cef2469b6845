"use client";

import type { Role } from "@/lib/db/schema/users";
import { ErrorText } from "@/components/ui/alert";
import { Card, CardTitle } from "@/components/ui/card";
import { BreakGlassButton } from "./break-glass";
import { ReadinessIndicator } from "./readiness-indicator";
import { RequestRollbackForm } from "./request-form";
import { RollbackRequestList } from "./request-list";
import { useRollbackReadiness, useRollbackRequests } from "./use-rollback-state";

const RANK: Record<Role, number> = { viewer: 0, oncall: 1, release_manager: 2, admin: 3 };

type RollbackPanelProps = {
  service: string;
  /** The signed-in user; buttons are shown by role, and the server checks again on every action. */
  user: { username: string; role: Role };
  /** The service's `rollback.breakGlass` setting from greenlight.yaml. */
  breakGlassEnabled: boolean;
};

/** Rollback for the service page: readiness, request with a reason, live request list with decisions, break-glass. */
export function RollbackPanel({ service, user, breakGlassEnabled }: RollbackPanelProps) {
  const requests = useRollbackRequests(service);
  const readiness = useRollbackReadiness(service);
  const pending = requests.data?.requests.some((r) => r.status === "pending") ?? false;
  return (
    <Card className="space-y-4" aria-label="Rollback">
      <CardTitle>Rollback</CardTitle>
      {readiness.data ? <ReadinessIndicator readiness={readiness.data} /> : null}
      {readiness.error ? <ErrorText>{readiness.error.message}</ErrorText> : null}
      {RANK[user.role] >= RANK.oncall ? (
        <RequestRollbackForm service={service} disabled={pending || readiness.data?.oldColourRunning === false} />
      ) : null}
      {requests.error ? <ErrorText>{requests.error.message}</ErrorText> : null}
      {requests.data ? (
        <RollbackRequestList
          service={service}
          requests={requests.data.requests}
          username={user.username}
          canDecide={RANK[user.role] >= RANK.release_manager}
        />
      ) : null}
      {user.role === "admin" && breakGlassEnabled ? <BreakGlassButton service={service} /> : null}
    </Card>
  );
}
