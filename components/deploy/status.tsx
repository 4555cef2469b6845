import type { DeploymentStatus, Phase } from "@/lib/db/schema";
import { badgeLook, StatusBadge, type BadgeStatus } from "@/components/ui/status-badge";
import { cn } from "@/components/ui/cn";

export const PHASE_LABEL: Record<Phase, string> = {
  pull: "Pull image",
  preflight: "Preflight checks",
  backup: "Database backup",
  start_target: "Start target",
  migrate: "Migrations",
  health: "Health",
  smoke: "Smoke tests",
  gate: "Promotion gate",
  switch: "Switch traffic",
  verify: "Verify through the load balancer",
  split: "Weighted steps",
  watch: "Watch (bake window)",
  done: "Done",
  rollback: "Rollback",
  cleanup: "Cleanup",
};

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  return (
    <StatusBadge kind="deployment" status={status} data-testid="deployment-status" data-status={status}>
      {status === "running" || status === "rolling_back" ? (
        <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />
      ) : null}
      {badgeLook("deployment", status).label}
    </StatusBadge>
  );
}

export type StepDisplayStatus = BadgeStatus<"step">;

export function StepStatusBadge({ status }: { status: StepDisplayStatus }) {
  return <StatusBadge kind="step" status={status} className="min-w-16 justify-center" />;
}

/** The colour name in its own colour, so blue and green are never confused at a glance. */
export function SlotName({ slot, className }: { slot: "blue" | "green"; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 font-medium",
        slot === "blue" ? "text-sky-300" : "text-emerald-300",
        className,
      )}
    >
      <span className={cn("size-2.5 rounded-full", slot === "blue" ? "bg-sky-400" : "bg-emerald-400")} aria-hidden />
      {slot}
    </span>
  );
}
