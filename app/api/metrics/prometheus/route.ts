import { apiError } from "@/lib/http/respond";
import { liveSlotsOf } from "@/lib/deploy/metrics-evaluator";
import { getEngineContext } from "@/lib/deploy/engine";
import { prometheusResponse } from "@/lib/metrics/prometheus";

export const dynamic = "force-dynamic";

/**
 * Prometheus exposition of every service's live figures. With GREENLIGHT_METRICS_TOKEN set it needs
 * `Authorization: Bearer <token>`; without it only loopback clients, and only while no service uses host networking.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const ctx = getEngineContext();
    return await prometheusResponse(req, { db: ctx.db, config: ctx.config, liveSlots: liveSlotsOf(ctx.config) });
  } catch (error) {
    return apiError(error);
  }
}
