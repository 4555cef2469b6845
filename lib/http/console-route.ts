import { requireRoleForRequest } from "@/lib/auth/request-user";
import type { RoleRequirement } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import { serviceOf } from "@/lib/deploy/context";
import { getEngineContext } from "@/lib/deploy/engine";
import type { EngineContext } from "@/lib/deploy/context";
import { apiError } from "./respond";

type Handler<P> = (req: Request, params: P, user: SessionUser) => Promise<Response> | Response;

/**
 * A route handler of the console's own API (outside /api/v1): the caller must be signed in with `requirement`
 * before anything is read, and every refusal or failure answers in the one error body.
 */
export function consoleRoute<P>(requirement: RoleRequirement, handle: Handler<P>) {
  return async (req: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      const user = await requireRoleForRequest(req, requirement);
      return await handle(req, await params, user);
    } catch (error) {
      return apiError(error);
    }
  };
}

/** A viewer's route about one service named in the path (`[service]` or `[name]`): unknown services are a 404. */
export function serviceRoute(
  handle: (req: Request, service: string, ctx: EngineContext) => Promise<Response> | Response,
) {
  return consoleRoute<{ service?: string; name?: string }>("viewer", (req, params) => {
    const ctx = getEngineContext();
    const service = serviceOf(ctx, params.service ?? params.name ?? "").name;
    return handle(req, service, ctx);
  });
}
