import type { EngineContext } from "@/lib/deploy/context";
import { checkReadiness } from "./readiness";

const NO_STORE = { "cache-control": "no-store" };

/** Liveness: the process answers HTTP. Touches nothing else, so a slow disk or Docker never gets it restarted. */
export function livenessResponse(): Response {
  return Response.json({ status: "ok" }, { headers: NO_STORE });
}

/** Readiness: 200 with every check when all pass, 503 with the same body otherwise. */
export async function readinessResponse(getCtx: () => Pick<EngineContext, "db" | "config">): Promise<Response> {
  let ctx: Pick<EngineContext, "db" | "config">;
  try {
    ctx = getCtx();
  } catch {
    return Response.json(
      { status: "not_ready", error: "configuration or database not loaded; the server log says which and why" },
      { status: 503, headers: NO_STORE },
    );
  }
  const { ready, checks } = await checkReadiness(ctx);
  return Response.json(
    { status: ready ? "ready" : "not_ready", checks },
    { status: ready ? 200 : 503, headers: NO_STORE },
  );
}
