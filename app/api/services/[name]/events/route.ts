import { checkRoleForRequest } from "@/lib/auth/request-user";
import { onDeploymentSignal } from "@/lib/deploy/bus";
import { serviceRoute } from "@/lib/http/console-route";
import { SERVICE_HISTORY } from "@/lib/views/limits";
import { serviceOverview } from "@/lib/views/service-overview";
import { sseResponse } from "@/lib/views/sse";

export const dynamic = "force-dynamic";

/** The service overview now and whenever any of its deployments changes, as Server-Sent Events. */
export const GET = serviceRoute((req, name, ctx) =>
  sseResponse({
    signal: req.signal,
    authorize: () => checkRoleForRequest(req, "viewer"),
    debounceMs: 150,
    snapshot: () => serviceOverview(ctx, name, { historyLimit: SERVICE_HISTORY }),
    subscribe: (onChange) => onDeploymentSignal((s) => s.service === name, onChange),
  }),
);
