import { getEngineContext } from "@/lib/deploy/engine";
import { readinessResponse } from "@/lib/health/respond";

export const dynamic = "force-dynamic";

/**
 * Readiness: engine lease held here, database writable, Docker and nginx reachable, collectors running. 200 when
 * all pass, else 503; the body has one entry per check and never a secret. No session needed.
 */
export function GET(): Promise<Response> {
  return readinessResponse(getEngineContext);
}
