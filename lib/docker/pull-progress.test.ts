import { describe, expect, it } from "vitest";
import { PullTracker } from "./pull-progress";
import { classifyPullError } from "./pull";
import { pinnedReference, shortDigest } from "./pinned-reference";

describe("PullTracker", () => {
  it("adds per-layer bytes into an overall percent; retries are not progress; 100 only when every layer is complete", () => {
    const t = new PullTracker("r/x:1");
    expect(t.add({ status: "Pulling from r/x", id: "1" })).toBe(false);
    t.add({ status: "Already exists", id: "aaa" });
    t.add({ status: "Pulling fs layer", id: "bbb" });
    expect(t.add({ status: "Downloading", id: "bbb", progressDetail: { current: 250, total: 1000 } })).toBe(true);
    t.add({ status: "Downloading", id: "ccc", progressDetail: { current: 0, total: 1000 } });
    expect(t.snapshot()).toMatchObject({ done: 250, total: 2000, percent: 12 });
    expect(t.add({ status: "Retrying in 5 seconds", id: "ccc" })).toBe(false);
    t.add({ status: "Download complete", id: "bbb" });
    t.add({ status: "Downloading", id: "ccc", progressDetail: { current: 1000, total: 1000 } });
    expect(t.snapshot().percent).toBe(99);
    t.add({ status: "Pull complete", id: "bbb" });
    t.add({ status: "Pull complete", id: "ccc" });
    expect(t.snapshot()).toMatchObject({ done: 2000, total: 2000, percent: 100, status: "complete" });
    expect(t.snapshot().layers.map((l) => `${l.id}:${l.status}`)).toEqual([
      "aaa:Already exists",
      "bbb:Pull complete",
      "ccc:Pull complete",
    ]);
  });
});

describe("classifyPullError", () => {
  it("sorts the engine's words into causes", () => {
    expect(classifyPullError("(HTTP code 500) server error - unauthorized: authentication required")).toBe(
      "unauthorized",
    );
    expect(classifyPullError("manifest for r/x:9 not found: manifest unknown: manifest unknown")).toBe("not_found");
    expect(
      classifyPullError('Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused'),
    ).toBe("unreachable");
    expect(classifyPullError("write /var/lib/docker/tmp/x: no space left on device")).toBe("disk_full");
    expect(classifyPullError("something else")).toBe("other");
  });
});

describe("pinnedReference", () => {
  const id = `sha256:${"a".repeat(64)}`;
  const d = `sha256:${"b".repeat(64)}`;
  it("takes the digest of the reference's own repository, else the image id", () => {
    expect(
      pinnedReference("127.0.0.1:5000/pt:2", { id, repoDigests: [`other/pt@${d}`, `127.0.0.1:5000/pt@${d}`] }),
    ).toBe(`127.0.0.1:5000/pt@${d}`);
    expect(pinnedReference("pt:2", { id, repoDigests: [`127.0.0.1:5000/pt@${d}`] })).toBe(id);
    expect(shortDigest(`127.0.0.1:5000/pt@${d}`)).toBe("sha256:bbbbbbbbbbbb");
    expect(shortDigest(null)).toBeNull();
  });
});
