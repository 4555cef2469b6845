import { describe, expect, it } from "vitest";
import type { ContainerSummary } from "@/lib/docker/containers";
import { AppError } from "@/lib/errors";
import { targetTrouble } from "./health";

const container = (over: Partial<ContainerSummary>): ContainerSummary => ({
  id: "c1",
  name: "t-green",
  state: "running",
  running: true,
  exitCode: 0,
  startedAt: null,
  finishedAt: null,
  labels: {},
  image: "privatetrade:2.0.0",
  imageId: "sha256:1",
  restartCount: 0,
  oomKilled: false,
  ...over,
});

describe("what the health phase says about its target", () => {
  it("says Docker is not answering when the inspection fails, not that the target is gone", async () => {
    const said = await targetTrouble("c1", async () => {
      throw new AppError("Could not inspect container c1: connect ENOENT /var/run/docker.sock");
    });
    expect(said).toBe(
      "Docker is not answering, so the target's state is unknown (Could not inspect container c1: connect ENOENT /var/run/docker.sock)",
    );
    expect(said).not.toContain("gone");
  });

  it("says the target is gone only when Docker answers that it does not exist", async () => {
    expect(await targetTrouble("c1", async () => null)).toBe("the target container is gone");
  });

  it("names an exit, an out-of-memory kill and a crash loop, and nothing for a running target", async () => {
    expect(await targetTrouble("c1", async () => container({ state: "exited", exitCode: 3 }))).toBe(
      "the target exited with code 3",
    );
    expect(await targetTrouble("c1", async () => container({ state: "dead", exitCode: 137, oomKilled: true }))).toBe(
      "the target exited with code 137 (out of memory)",
    );
    expect(await targetTrouble("c1", async () => container({ restartCount: 2, exitCode: 1 }))).toBe(
      "the target keeps crashing (restarted 2 times, last exit code 1)",
    );
    expect(await targetTrouble("c1", async () => container({}))).toBeNull();
  });
});
