import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath", () => {
  it("keeps same-site paths", () => {
    expect(safeNextPath("/services/privatetrade?tab=metrics#p95")).toBe("/services/privatetrade?tab=metrics#p95");
    expect(safeNextPath("/")).toBe("/");
  });

  it("turns everything else into /", () => {
    for (const bad of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "",
      null,
      42,
      "/login?next=/x",
      "relative",
    ]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });

  it("turns paths whose dot segments normalise to another host into /", () => {
    for (const bad of [
      "/.//evil.example",
      "/..//evil.example",
      "/a/..//evil.example",
      "/%2e//evil.example",
      "/%2E%2E//evil.example/x?y=1",
      "/./\\evil.example",
    ]) {
      expect({ bad, next: safeNextPath(bad) }).toEqual({ bad, next: "/" });
    }
    expect(safeNextPath("/services/./privatetrade")).toBe("/services/privatetrade");
  });
});
