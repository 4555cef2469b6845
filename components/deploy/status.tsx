import type { DeploymentStatus, Phase, StepStatus } from "@/lib/db/schema";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";

const STATUS: Record<DeploymentStatus, { label: string; tone: BadgeTone }> = {
  running: { label: "In progress", tone: "blue" },
  awaiting_promotion: { label: "Ready to promote", tone: "amber" },
  rolling_back: { label: "Rolling back", tone: "red" },
  succeeded: { label: "Succeeded", tone: "green" },
  failed: { label: "Failed", tone: "red" },
  aborted: { label: "Aborted", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
  rolled_back: { label: "Rolled back", tone: "violet" },
  noop: { label: "Nothing to do", tone: "neutral" },
};

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
  verify: "Verify through nginx",
  watch: "Watch (bake window)",
  done: "Done",
  rollback: "Rollback",
  cleanup: "Cleanup",
};

export function DeploymentStatusBadge({ status }: { status: DeploymentStatus }) {
  const s = STATUS[status];
  return (
    <Badge tone={s.tone} data-testid="deployment-status" data-status={status}>
      {status === "running" || status === "rolling_back" ? (
        <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />
      ) : null}
      {s.label}
    </Badge>
  );
}

const STEP: Record<StepStatus | "waiting" | "pending" | "not_run", { label: string; tone: BadgeTone }> = {
  running: { label: "running", tone: "blue" },
  passed: { label: "passed", tone: "green" },
  warning: { label: "warning", tone: "amber" },
  failed: { label: "failed", tone: "red" },
  skipped: { label: "skipped", tone: "neutral" },
  waiting: { label: "waiting", tone: "amber" },
  pending: { label: "pending", tone: "neutral" },
  not_run: { label: "not run", tone: "neutral" },
};

export type StepDisplayStatus = keyof typeof STEP;

export function StepStatusBadge({ status }: { status: StepDisplayStatus }) {
  const s = STEP[status];
  return (
    <Badge tone={s.tone} className="min-w-16 justify-center">
      {s.label}
    </Badge>
  );
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
