import { z } from "zod";
import { forceReleaseLock } from "@/lib/deploy/force-release";
import { authenticate } from "./authenticate";
import { guarded } from "./guarded";
import { json, param, readBody, serviceParam } from "./respond";

/** An admin releases the service's deploy lock when its holder is dead; the reason is mandatory. */
export const releaseDeployLock = guarded<{ service: string }>(
  async (req, params, ctx) => {
    const service = param(serviceParam, params.service, "service");
    const caller = authenticate(req, ctx, "admin", service);
    const body = await readBody(req, z.strictObject({ reason: z.string().max(2000) }));
    return json(forceReleaseLock(ctx, { service, reason: body.reason }, caller.user, caller.origin));
  },
  { action: "lock.force_release", target: (p) => `service:${String(p.service).slice(0, 100)}` },
);
