import { checkRoleForRequest } from "@/lib/auth/request-user";
import { onDeploymentSignal } from "@/lib/deploy/bus";
import { getEngineContext } from "@/lib/deploy/engine";
import { consoleRoute } from "@/lib/http/console-route";
import { deploymentSnapshot } from "@/lib/views/deployment-snapshot";
import { sseResponse } from "@/lib/views/sse";

export const dynamic = "force-dynamic";

/** The deployment's snapshot now and after every change, as Server-Sent Events. */
export const GET = consoleRoute<{ id: string }>("viewer", (req, { id }) => {
  const ctx = getEngineContext();
  deploymentSnapshot(ctx, id);
  return sseResponse({
    signal: req.signal,
    authorize: () => checkRoleForRequest(req, "viewer"),
    snapshot: () => deploymentSnapshot(ctx, id),
    subscribe: (onChange) => onDeploymentSignal((s) => s.deploymentId === id, onChange),
  });
});
