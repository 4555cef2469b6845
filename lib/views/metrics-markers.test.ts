import { describe, expect, it } from "vitest";
import type { Deployment } from "@/lib/db/schema";
import { buildMarkers } from "./metrics-markers";

const dep = (over: Partial<Deployment>): Deployment =>
  ({
    id: "d",
    service: "shop",
    version: "2.0.0",
    status: "succeeded",
    switchedAt: null,
    finishedAt: null,
    updatedAt: 0,
    ...over,
  }) as Deployment;

describe("buildMarkers", () => {
  const deployments = [
    dep({ id: "a", version: "1.9.0", switchedAt: 1_000_500, finishedAt: 1_100_000 }),
    dep({
      id: "b",
      version: "2.0.0",
      status: "rolled_back",
      switchedAt: 2_000_900,
      finishedAt: 2_090_000,
      updatedAt: 2_090_001,
    }),
    dep({
      id: "c",
      version: "2.0.1",
      status: "rolled_back",
      switchedAt: 3_000_000,
      finishedAt: null,
      updatedAt: 3_050_000,
    }),
    dep({ id: "d", version: "2.0.2", status: "aborted" }),
  ];

  it("marks switches and rollbacks in epoch seconds, oldest first, rollback at its step's start", () => {
    const markers = buildMarkers(deployments, [{ deploymentId: "b", phase: "rollback", startedAt: 2_060_400 }]);
    expect(markers).toEqual([
      { t: 1000, label: "switch 1.9.0", kind: "switch", deploymentId: "a" },
      { t: 2000, label: "switch 2.0.0", kind: "switch", deploymentId: "b" },
      { t: 2060, label: "rollback 2.0.0", kind: "rollback", deploymentId: "b" },
      { t: 3000, label: "switch 2.0.1", kind: "switch", deploymentId: "c" },
      { t: 3050, label: "rollback 2.0.1", kind: "rollback", deploymentId: "c" },
    ]);
  });

  it("falls back to the end of a rolled-back deployment and keeps only the range asked for", () => {
    expect(buildMarkers(deployments, [], { from: 2001, to: 3000 })).toEqual([
      { t: 2090, label: "rollback 2.0.0", kind: "rollback", deploymentId: "b" },
      { t: 3000, label: "switch 2.0.1", kind: "switch", deploymentId: "c" },
    ]);
  });
});
