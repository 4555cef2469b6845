import { z } from "zod";
import { MAX_SILENCE_MINUTES, silenceAlerts } from "@/lib/alerts/silence";
import { authenticate } from "./authenticate";
import { guarded } from "./guarded";
import { json, param, readBody, serviceParam } from "./respond";

/** An on-call silences one alert rule of the service (or all of them) for `minutes`, with a reason. */
export const createAlertSilence = guarded<{ service: string }>(
  async (req, params, ctx) => {
    const service = param(serviceParam, params.service, "service");
    const caller = authenticate(req, ctx, "oncall", service);
    const body = await readBody(
      req,
      z.strictObject({
        rule: z.string().max(40).optional(),
        minutes: z.number().int().min(1).max(MAX_SILENCE_MINUTES),
        reason: z.string().max(2000),
      }),
    );
    return json({ silence: silenceAlerts(ctx, { service, ...body }, caller.user, caller.origin) }, 201);
  },
  { action: "alert.silence", target: (p) => `service:${String(p.service).slice(0, 100)}` },
);
