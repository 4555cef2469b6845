import { livenessResponse } from "@/lib/health/respond";

export const dynamic = "force-dynamic";

/** Liveness for a supervisor or load balancer: 200 {"status":"ok"} while the process answers. No session needed. */
export function GET(): Response {
  return livenessResponse();
}
