import { describe, expect, it } from "vitest";
import type { DeploymentStatus } from "@/lib/db/schema/deployment-states";
import { tabIcon, tabState, tabTitle } from "./tab-state";

const NOW = Date.UTC(2026, 11, 3, 15, 0, 0);
const MIN = 60_000;
const dep = (status: DeploymentStatus, agoMin = 0) => ({
  status,
  updatedAt: NOW - agoMin * MIN,
  finishedAt: NOW - agoMin * MIN,
});

describe("the tab of a service", () => {
  it("names what a deployment is doing, red only while it is rolling back or its switch failed", () => {
    const of = (s: DeploymentStatus) => tabState({ active: dep(s), latest: dep(s) }, NOW);
    expect(of("running")).toEqual({ label: "deploying", alarm: false });
    expect(of("awaiting_promotion")).toEqual({ label: "awaiting approval", alarm: false });
    expect(of("rolling_back")).toEqual({ label: "rolling back", alarm: true });
    expect(of("switch_failed")).toEqual({ label: "switch failed", alarm: true });
  });

  it("stays red for an hour after a release failed or was rolled back, then goes quiet", () => {
    expect(tabState({ active: null, latest: dep("rolled_back", 10) }, NOW)).toEqual({
      label: "rolled back",
      alarm: true,
    });
    expect(tabState({ active: null, latest: dep("failed", 59) }, NOW)).toEqual({ label: "failed", alarm: true });
    expect(tabState({ active: null, latest: dep("failed", 61) }, NOW)).toEqual({ label: null, alarm: false });
    expect(tabState({ active: null, latest: dep("succeeded", 1) }, NOW)).toEqual({ label: null, alarm: false });
    expect(tabState({ active: null, latest: dep("aborted", 1) }, NOW)).toEqual({ label: null, alarm: false });
    expect(tabState({ active: null, latest: null }, NOW)).toEqual({ label: null, alarm: false });
  });

  it("turns red for an open incident when nothing else is said", () => {
    expect(tabState({ active: null, latest: dep("succeeded", 5), incident: true }, NOW)).toEqual({
      label: "incident",
      alarm: true,
    });
  });

  it("turns red while an alert rule fires, after what a deployment or an incident says", () => {
    expect(tabState({ active: null, latest: dep("succeeded", 90), alerting: true }, NOW)).toEqual({
      label: "alert firing",
      alarm: true,
    });
    expect(tabState({ active: null, latest: dep("succeeded", 90), incident: true, alerting: true }, NOW)).toEqual({
      label: "incident",
      alarm: true,
    });
    expect(tabState({ active: dep("running"), latest: dep("running"), alerting: true }, NOW)).toEqual({
      label: "deploying",
      alarm: false,
    });
  });

  it("writes the title and picks the icon", () => {
    expect(tabTitle("privatetrade", { label: "rolling back", alarm: true })).toBe(
      "privatetrade · rolling back · Greenlight",
    );
    expect(tabTitle("privatetrade", { label: "deploying", alarm: false }, "metrics")).toBe(
      "privatetrade metrics · deploying · Greenlight",
    );
    expect(tabTitle("privatetrade", { label: null, alarm: false })).toBe("privatetrade · Greenlight");
    expect(tabIcon({ label: null, alarm: false })).toBe("/icon.svg");
    expect(tabIcon({ label: "failed", alarm: true })).toBe("/icon-alarm.svg");
  });
});
