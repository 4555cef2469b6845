import type { HTMLAttributes } from "react";
import type { AuditOutcome } from "@/lib/audit/types";
import type { DeploymentStatus, StepStatus } from "@/lib/db/schema";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";
import { Badge, type BadgeTone } from "./badge";

type Look = { label: string; tone: BadgeTone };
/** A kind's states; a bare tone means the label is the state's own name. */
const looks = <S extends string>(map: Record<S, Look | BadgeTone>) => map;

/**
 * Every state the console draws as a badge, with its label and colour: the one place to change either. A state
 * missing from its kind (a check status the engine added later) is drawn as its own name, neutral.
 */
export const STATUS_BADGES = {
  deployment: looks<DeploymentStatus>({
    running: { label: "In progress", tone: "blue" },
    awaiting_promotion: { label: "Ready to promote", tone: "amber" },
    switch_failed: { label: "Switch failed: target kept", tone: "amber" },
    rolling_back: { label: "Rolling back", tone: "red" },
    succeeded: { label: "Succeeded", tone: "green" },
    failed: { label: "Failed", tone: "red" },
    aborted: { label: "Aborted", tone: "neutral" },
    expired: { label: "Expired", tone: "neutral" },
    rolled_back: { label: "Rolled back", tone: "violet" },
    noop: { label: "Nothing to do", tone: "neutral" },
  }),
  step: looks<StepStatus | "waiting" | "pending" | "not_run">({
    running: "blue",
    passed: "green",
    warning: "amber",
    failed: "red",
    skipped: "neutral",
    waiting: "amber",
    pending: "neutral",
    not_run: { label: "not run", tone: "neutral" },
  }),
  /** One preflight check or smoke test inside a step's detail. */
  check: looks<"passed" | "ok" | "warning" | "failed">({
    passed: "green",
    ok: "green",
    warning: "amber",
    failed: "red",
  }),
  health: looks<"healthy" | "unhealthy" | "unknown" | "not_running">({
    healthy: "green",
    unhealthy: "red",
    unknown: { label: "health unknown", tone: "neutral" },
    not_running: { label: "not running", tone: "red" },
  }),
  /** What a colour is doing; the live badge takes the colour of the slot it marks. */
  slot: looks<"live_blue" | "live_green" | "target" | "warm" | "idle">({
    live_blue: { label: "live: nginx serves this", tone: "blue" },
    live_green: { label: "live: nginx serves this", tone: "green" },
    target: { label: "deployment target", tone: "amber" },
    warm: { label: "warm for rollback", tone: "violet" },
    idle: "neutral",
  }),
  container: looks<"running" | "stopped">({ running: "green", stopped: "red" }),
  /** An approval: a request to roll back, and what became of it. */
  rollbackRequest: looks<RollbackRequest["status"]>({
    pending: "amber",
    approved: "blue",
    executed: "green",
    failed: "red",
    rejected: "neutral",
    expired: "neutral",
    superseded: "neutral",
  }),
  rollbackReadiness: looks<"ready" | "not_ready">({
    ready: { label: "rollback ready", tone: "green" },
    not_ready: { label: "rollback not ready", tone: "amber" },
  }),
  /** An alert rule on the live colour. */
  alert: looks<"inactive" | "pending" | "firing" | "silenced" | "resolved">({
    inactive: { label: "ok", tone: "neutral" },
    pending: "amber",
    firing: "red",
    silenced: { label: "firing (silenced)", tone: "violet" },
    resolved: "green",
  }),
  auditOutcome: looks<AuditOutcome>({ ok: "green", denied: "amber", failed: "red" }),
  apiToken: looks<"active" | "expired" | "revoked">({ active: "green", expired: "neutral", revoked: "red" }),
  user: looks<"active" | "disabled">({ active: "green", disabled: "red" }),
} as const;

type BadgeKind = keyof typeof STATUS_BADGES;
export type BadgeStatus<K extends BadgeKind> = keyof (typeof STATUS_BADGES)[K] & string;

/** The label and colour of `status` in `kind`; an unknown status reads as itself, neutral. */
export function badgeLook(kind: BadgeKind, status: string): Look {
  const map: Partial<Record<string, Look | BadgeTone>> = STATUS_BADGES[kind];
  const look = Object.hasOwn(map, status) ? map[status]! : "neutral";
  return typeof look === "string" ? { label: status, tone: look } : look;
}

type Props<K extends BadgeKind> = HTMLAttributes<HTMLSpanElement> & {
  kind: K;
  /** A known state of `kind`, or (for checks the engine reports) any string, drawn neutral. */
  status: BadgeStatus<K> | (string & {});
};

/** A state drawn as a badge from STATUS_BADGES; children replace the label where the text is the detail. */
export function StatusBadge<K extends BadgeKind>({ kind, status, children, ...props }: Props<K>) {
  const look = badgeLook(kind, status);
  return (
    <Badge tone={look.tone} {...props}>
      {children ?? look.label}
    </Badge>
  );
}
