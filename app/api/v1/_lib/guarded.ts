import { auditFromRequest } from "@/lib/audit/from-request";
import { recordAudit } from "@/lib/audit/record";
import { recordThrottledRefusal } from "@/lib/audit/throttle";
import type { EngineContext } from "@/lib/deploy/context";
import { authRefusal } from "./authenticate";
import { apiError } from "./respond";

export type Handler<P> = (req: Request, params: P, ctx: EngineContext) => Promise<Response>;

/**
 * Turns thrown errors into `{ error: { code, message } }` responses. For state-changing routes (`audit` given),
 * a caller refused by authenticate() (401/403) leaves an audit row saying who tried what and why it was refused.
 */
export function guarded<P>(handler: Handler<P>, audit?: { action: string; target: (params: P) => string }): Handler<P> {
  return async (req, params, ctx) => {
    try {
      return await handler(req, params, ctx);
    } catch (error) {
      const refusal = authRefusal(error);
      if (audit && refusal) {
        const caller = refusal.caller;
        (caller ? recordAudit : recordThrottledRefusal)(ctx.db, {
          actor: caller?.username ?? "anonymous",
          role: caller?.role ?? null,
          action: audit.action,
          target: audit.target(params),
          outcome: "denied",
          reason: (error as Error).message,
          details: { via: "api" },
          ...auditFromRequest(req.headers),
        });
      }
      return apiError(error, (error as { extra?: Record<string, unknown> }).extra);
    }
  };
}
