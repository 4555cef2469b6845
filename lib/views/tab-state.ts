import type { DeploymentStatus } from "@/lib/db/schema/deployment-states";

/** The browser tab's icons: the green "go" mark, and its red variant while something about the service is wrong. */
export const TAB_ICON = { ok: "/icon.svg", alarm: "/icon-alarm.svg" } as const;

/** How long a failed or rolled-back release keeps the tab red after it finished. */
export const RECENT_FAILURE_MS = 3_600_000;

type DeploymentLike = { status: DeploymentStatus; finishedAt?: number | null; updatedAt: number };

/** What the tab needs of a service: its unfinished deployment, its newest one, and whether an incident is open. */
export type TabInput = {
  active: DeploymentLike | null;
  latest: DeploymentLike | null;
  incident?: boolean;
  /** An alert rule fires on the live colour (silenced or not: it is still true). */
  alerting?: boolean;
};

export type TabState = { label: string | null; alarm: boolean };

const MOVING: Partial<Record<DeploymentStatus, TabState>> = {
  running: { label: "deploying", alarm: false },
  awaiting_promotion: { label: "awaiting approval", alarm: false },
  switch_failed: { label: "switch failed", alarm: true },
  rolling_back: { label: "rolling back", alarm: true },
};

const ENDED_BADLY: Partial<Record<DeploymentStatus, string>> = { failed: "failed", rolled_back: "rolled back" };

/**
 * The state a tab shows for a service: what its deployment is doing, else a release that failed or was rolled back
 * within the last hour, else an open incident, else an alert rule firing; red (`alarm`) for everything but a deployment moving as it should.
 */
export function tabState(input: TabInput, now: number): TabState {
  const moving = input.active && MOVING[input.active.status];
  if (moving) return moving;
  const latest = input.latest;
  const ended = latest && ENDED_BADLY[latest.status];
  if (ended && now - (latest.finishedAt ?? latest.updatedAt) < RECENT_FAILURE_MS) return { label: ended, alarm: true };
  if (input.incident) return { label: "incident", alarm: true };
  if (input.alerting) return { label: "alert firing", alarm: true };
  return { label: null, alarm: false };
}

/** "privatetrade · rolling back · Greenlight"; `page` names a sub-page ("privatetrade metrics · …"). */
export function tabTitle(service: string, state: TabState, page?: string): string {
  return [page ? `${service} ${page}` : service, state.label, "Greenlight"].filter(Boolean).join(" · ");
}

export const tabIcon = (state: TabState): string => (state.alarm ? TAB_ICON.alarm : TAB_ICON.ok);
