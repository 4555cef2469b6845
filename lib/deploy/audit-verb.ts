import { recordAudit } from "@/lib/audit/record";
import type { DeploymentStatus } from "@/lib/db/schema";
import { serviceNamed, serviceSecrets } from "@/lib/notify/channels";
import type { EngineContext } from "./context";

/** Who asked for a deployment action: a person through the console or the API. */
export type Actor = {
  username: string;
  role: string | null;
  via: "console" | "api";
  sourceIp?: string | null;
  userAgent?: string | null;
};

export type VerbAudit = { actor: Actor; reason?: string | null; details?: Record<string, unknown> };

type Action = {
  verb: string;
  /** The deployment; a start that found nothing to do has none, and names its service instead. */
  id?: string;
  service: string;
  version: string | null;
  from: DeploymentStatus | null;
  to: DeploymentStatus | null;
};

/**
 * The one audit row of a person's deployment action, written by the verb (inside its transaction when it changes
 * state): the same fields whichever entry point asked, apart from the actor, its address and `via`.
 */
export function auditVerb(ctx: EngineContext, action: Action, audit: VerbAudit, at = Date.now()): void {
  const { actor } = audit;
  recordAudit(
    ctx.db,
    {
      actor: actor.username,
      role: actor.role,
      action: `deployment.${action.verb}`,
      target: action.id ? `deployment:${action.id}` : `service:${action.service}`,
      sourceIp: actor.sourceIp ?? null,
      userAgent: actor.userAgent ?? null,
      reason: audit.reason ?? null,
      at,
      details: {
        service: action.service,
        version: action.version,
        from: action.from,
        to: action.to,
        via: actor.via,
        ...audit.details,
      },
    },
    serviceSecrets(serviceNamed(ctx.config, action.service)),
  );
}
