import type { Role } from "@/lib/auth/roles";

/*
 * Who may call what, written down independently of the code: the security suite calls every server action and route
 * handler the production build exposes with every caller below the role named here, and never reads the role from
 * the code under test. A new action or route without an entry fails the suite with the line to add here.
 *
 * A value is the weakest role that may call it (`"oncall"` allows oncall, release_manager and admin), a list of the
 * roles that may (`["release_manager", "admin"]`), or `{ public: "why anyone may call it" }`.
 */
export type Expected = Role | readonly Role[] | { public: string };

const APPROVERS = ["release_manager", "admin"] as const;

/** Server actions, keyed `<source file>#<exported name>` as the build's server-reference manifest names them. */
export const EXPECTED_ACTION_ROLES: Record<string, Expected> = {
  "app/login/actions.ts#signIn": {
    public: "signing in is what an anonymous caller must be able to do; rate-limited (tested)",
  },
  "app/logout/actions.ts#signOut": { public: "ends only the caller's own session; without one it does nothing" },

  "app/(console)/services/[name]/actions.ts#startDeploymentAction": "release_manager",
  // The live colour is down: starting the same release again on its colour is the on-call's first move, not a deployment.
  "app/(console)/services/[name]/actions.ts#restartLiveAction": "oncall",
  "app/(console)/services/[name]/actions.ts#forceReleaseLockAction": "admin",
  // An alert that pages for a known cause: the on-call who holds the pager silences it, with a reason (audited).
  "app/(console)/services/[name]/metrics/actions.ts#silenceAlertsAction": "oncall",
  "app/(console)/deployments/[id]/actions.ts#promoteAction": "release_manager",
  "app/(console)/deployments/[id]/actions.ts#continueStepAction": "release_manager",
  "app/(console)/deployments/[id]/actions.ts#abortAction": "release_manager",
  "app/(console)/deployments/[id]/actions.ts#retryAction": "release_manager",
  "app/(console)/deployments/[id]/actions.ts#retrySwitchAction": "release_manager",

  "components/rollback/actions.ts#requestRollbackAction": "oncall",
  "components/rollback/actions.ts#approveRollbackAction": APPROVERS,
  "components/rollback/actions.ts#rejectRollbackAction": APPROVERS,
  "components/rollback/actions.ts#breakGlassAction": "admin",

  "app/(console)/settings/actions.ts#sendTestNotificationAction": "release_manager",
  "app/(console)/settings/actions.ts#createUserAction": "admin",
  "app/(console)/settings/actions.ts#setRoleAction": "admin",
  "app/(console)/settings/actions.ts#setUserDisabledAction": "admin",
  "app/(console)/settings/actions.ts#createApiTokenAction": "admin",
  "app/(console)/settings/actions.ts#revokeApiTokenAction": "admin",
  "app/(console)/settings/actions.ts#reloadConfigAction": "admin",
};

/** Route handlers, keyed `<METHOD> <pattern>` with the pattern as the build names it (`/api/v1/deployments/[id]`). */
export const EXPECTED_ROUTE_ROLES: Record<string, Expected> = {
  "GET /api/auth/session": "viewer",
  "GET /api/auth/users": "admin",
  "DELETE /api/auth/users/[username]/sessions": "admin",

  "GET /api/services": "viewer",
  "GET /api/incidents": "viewer",
  "GET /api/services/[name]": "viewer",
  "GET /api/services/[name]/events": "viewer",
  "GET /api/deployments/[id]": "viewer",
  "GET /api/deployments/[id]/events": "viewer",
  "GET /api/deployments/[id]/logs": "viewer",
  "GET /api/metrics/[service]": "viewer",
  "GET /api/metrics/[service]/stream": "viewer",
  "GET /api/metrics/[service]/export": "viewer",
  "GET /api/metrics/prometheus": { public: "guarded by GREENLIGHT_METRICS_TOKEN instead of a role (tested below)" },
  "GET /api/reports/deployments/[id]": "viewer",
  "GET /api/reports/services/[service]/daily": "viewer",
  "GET /api/audit/export": "oncall",
  "GET /api/healthz": { public: "liveness for a supervisor or load balancer: answers {status: ok}, no data" },
  "GET /api/readyz": {
    public: "readiness for a load balancer or monitor: pass or fail per check, with fixed texts and no secrets",
  },

  "GET /api/v1/openapi.json": { public: "the API's description, the same for everyone, no data" },
  "GET /api/v1/services": "viewer",
  "POST /api/v1/services/[service]/deployments": "release_manager",
  "POST /api/v1/services/[service]/deploy-lock/release": "admin",
  "POST /api/v1/services/[service]/alert-silences": "oncall",
  "GET /api/v1/services/[service]/rollback-readiness": "viewer",
  "GET /api/v1/services/[service]/rollback-requests": "viewer",
  "POST /api/v1/services/[service]/rollback-requests": "oncall",
  "GET /api/v1/deployments/[id]": "viewer",
  "GET /api/v1/deployments/[id]/events": "viewer",
  "POST /api/v1/deployments/[id]/promote": "release_manager",
  "POST /api/v1/deployments/[id]/abort": "release_manager",
  "POST /api/v1/deployments/[id]/retry-switch": "release_manager",
  "POST /api/v1/rollback-requests/[id]/approve": APPROVERS,
  "POST /api/v1/rollback-requests/[id]/reject": APPROVERS,
};

const ALL_ROLES: readonly Role[] = ["viewer", "oncall", "release_manager", "admin"];
const RANK: Record<Role, number> = { viewer: 0, oncall: 1, release_manager: 2, admin: 3 };

export const isPublic = (e: Expected | undefined): e is { public: string } =>
  typeof e === "object" && e !== null && "public" in e;

/** The roles the table says must be refused (the expected value, not the code's, decides). */
export function rolesRefused(e: Exclude<Expected, { public: string }>): Role[] {
  return ALL_ROLES.filter((r) => (typeof e === "string" ? RANK[r] < RANK[e] : !e.includes(r)));
}

/** The entries of a table the build no longer exposes (`built` are its keys), each as the line saying to remove it. */
export function staleEntries(table: "EXPECTED_ACTION_ROLES" | "EXPECTED_ROUTE_ROLES", built: string[]): string[] {
  const expected = table === "EXPECTED_ACTION_ROLES" ? EXPECTED_ACTION_ROLES : EXPECTED_ROUTE_ROLES;
  const present = new Set(built);
  return Object.keys(expected)
    .filter((k) => !present.has(k))
    .map((k) => `${table} has "${k}", which the build no longer exposes: remove it`);
}

/** The line to add for a missing entry, so the failure says exactly what to do. */
export function missingEntry(table: "EXPECTED_ACTION_ROLES" | "EXPECTED_ROUTE_ROLES", key: string): string {
  return `no expected role for ${key}: add  "${key}": "<weakest role>",  (or a list of roles, or { public: "why" }) to ${table} in tests/security/expected-roles.ts`;
}
