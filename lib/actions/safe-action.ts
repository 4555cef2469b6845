import { logger } from "@/lib/log";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { auditDenied } from "./audit-denied";
import { checkRole } from "@/lib/auth/check-role";
import { currentUser } from "@/lib/auth/guard";
import type { RoleRequirement } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import { AppError, ForbiddenError, publicMessage, UnauthorizedError, ValidationError } from "@/lib/errors";

const log = logger("actions");

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: string };

interface ActionContext {
  user: SessionUser;
}

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function validationMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid input";
  const field = issue.path.map(String).join(".");
  return field ? `${field}: ${issue.message}` : issue.message;
}

type UserSource = () => Promise<SessionUser | null>;
/** Told about a caller refused by role (anonymous or too weak), e.g. to audit it; `name` is the action's name. */
export type DeniedHook = (denial: {
  user: SessionUser | null;
  name: string;
  error: UnauthorizedError | ForbiddenError;
}) => Promise<void> | void;
type Handler<S extends z.ZodType, T> = (input: z.output<S>, ctx: ActionContext) => Promise<T> | T;

async function run<S extends z.ZodType, T>(
  source: UserSource,
  onDenied: DeniedHook | undefined,
  name: string,
  requirement: RoleRequirement,
  schema: S,
  handler: Handler<S, T>,
  raw: unknown,
): Promise<ActionResult<T>> {
  try {
    // Who before what: an anonymous caller learns nothing about the expected input.
    const caller = await source();
    let user: SessionUser;
    try {
      user = checkRole(caller, requirement);
    } catch (error) {
      if (onDenied && (error instanceof UnauthorizedError || error instanceof ForbiddenError))
        await onDenied({ user: caller, name, error });
      throw error;
    }
    const parsed = schema.safeParse(raw instanceof FormData ? formDataToObject(raw) : raw);
    if (!parsed.success) throw new ValidationError(validationMessage(parsed.error));
    return { ok: true, data: await handler(parsed.data, { user }) };
  } catch (error) {
    unstable_rethrow(error);
    if (!(error instanceof AppError)) log.error({ err: error }, "unexpected error in a server action");
    return { ok: false, error: publicMessage(error), code: error instanceof AppError ? error.code : "internal" };
  }
}

// Each wrapper's role requirement, so the security suite can check every action the build exposes against the
// role it declares instead of a hand-kept list.
const requirements = new WeakMap<object, RoleRequirement>();

function registered<F extends object>(fn: F, requirement: RoleRequirement): F {
  requirements.set(fn, requirement);
  return fn;
}

/** The role requirement a function made by `action`/`formAction` checks; undefined for any other function. */
export function actionRequirement(fn: unknown): RoleRequirement | undefined {
  return typeof fn === "function" ? requirements.get(fn) : undefined;
}

/** Builds `action`/`formAction` over a source of the current user (the session cookie in the app). */
export function createActionHelpers(source: UserSource, onDenied?: DeniedHook) {
  return {
    action<S extends z.ZodType, T>(requirement: RoleRequirement, schema: S, handler: Handler<S, T>, name = UNNAMED) {
      return registered(
        (input: z.input<S> | FormData): Promise<ActionResult<T>> =>
          run(source, onDenied, name, requirement, schema, handler, input),
        requirement,
      );
    },
    formAction<S extends z.ZodType, T>(
      requirement: RoleRequirement,
      schema: S,
      handler: Handler<S, T>,
      name = UNNAMED,
    ) {
      return registered(
        (_previous: ActionResult<T> | null, form: FormData): Promise<ActionResult<T>> =>
          run(source, onDenied, name, requirement, schema, handler, form),
        requirement,
      );
    },
  };
}

const UNNAMED = "server_action";

const helpers = createActionHelpers(currentUser, auditDenied);

/**
 * Wraps a server action: checks the role, validates input (an object or FormData) with zod, runs the
 * handler, and returns `{ ok: true, data }` or `{ ok: false, error }` with a message fit for users.
 * `redirect()`/`notFound()` thrown by the handler still work.
 *
 *   export const promote = action("release_manager", z.object({ id: z.string() }), (input, { user }) => ..., "deployment.promote");
 *
 * A caller refused by role leaves a `denied` audit row under the action's name (the last argument).
 */
export const action = helpers.action;

/** The same, shaped for `useActionState(formAction, null)`: `(previousState, formData)`. */
export const formAction = helpers.formAction;
