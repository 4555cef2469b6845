/*
 * A deployment's states and phases as plain data (no database code), so client components can import them too.
 * lib/deploy/lifecycle.ts declares which state may follow which.
 */

/** Finished: the deploy lock is released, and nothing but a rollback (of a success) moves it again. */
const FINAL = ["succeeded", "failed", "aborted", "expired", "rolled_back", "noop"] as const;
/** Unfinished but at rest: the target runs beside the live colour and nothing moves until a person acts. */
const WAITING = ["awaiting_promotion", "switch_failed"] as const;

export const DEPLOYMENT_STATUSES = ["running", ...WAITING, "rolling_back", ...FINAL] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
export const FINAL_STATUSES: readonly DeploymentStatus[] = FINAL;
export const WAITING_STATUSES: readonly DeploymentStatus[] = WAITING;
/** Not final: the deployment holds its service's deploy lock, and its target (if any) is kept. */
export const UNFINISHED_STATUSES: readonly DeploymentStatus[] = DEPLOYMENT_STATUSES.filter(
  (s) => !FINAL_STATUSES.includes(s),
);

/** The pipeline's phases in order, then the two that only a rollback or a cleanup opens. */
export const PHASES = [
  "pull",
  "preflight",
  "backup",
  "start_target",
  "migrate",
  "health",
  "smoke",
  "gate",
  "switch",
  "verify",
  "split",
  "watch",
  "done",
  "rollback",
  "cleanup",
] as const;
export type Phase = (typeof PHASES)[number];
