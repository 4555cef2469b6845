import { describe, expect, it } from "vitest";
import { signalDeployment } from "@/lib/deploy/bus";
import { viewContainers } from "./container-cache";

describe("the containers pages read", () => {
  it("share one Docker listing for a second and look again as soon as a deployment of the service changes", async () => {
    const first = viewContainers("gl-cache-a", 1_000_000);
    expect(viewContainers("gl-cache-a", 1_000_500)).toBe(first);
    expect(viewContainers("gl-cache-a", 1_001_000)).not.toBe(first);
    const second = viewContainers("gl-cache-a", 1_001_100);
    signalDeployment({ deploymentId: "d1", service: "gl-cache-b" });
    expect(viewContainers("gl-cache-a", 1_001_200)).toBe(second);
    signalDeployment({ deploymentId: "d2", service: "gl-cache-a" });
    expect(viewContainers("gl-cache-a", 1_001_300)).not.toBe(second);
    expect(await viewContainers("gl-cache-a")).toEqual([]);
  });
});
