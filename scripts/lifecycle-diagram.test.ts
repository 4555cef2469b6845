import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withDiagram } from "@/lib/deploy/lifecycle-diagram";

const DOC = path.resolve(__dirname, "../docs/architecture.md");

describe("docs/architecture.md's lifecycle diagram", () => {
  it("is the one generated from lib/deploy/lifecycle.ts's TRANSITIONS", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    expect(
      withDiagram(doc) === doc,
      "the diagram differs from TRANSITIONS: run `npx tsx scripts/lifecycle-diagram.ts --write`",
    ).toBe(true);
  });

  it("draws every transition of the design, with its verb", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    // Written out by hand, as a reader of the diagram should find them.
    for (const arrow of [
      "[*] --> running: start",
      "running --> awaiting_promotion: gate",
      "awaiting_promotion --> running: promote",
      "awaiting_promotion --> aborted: abort",
      "awaiting_promotion --> expired: expire",
      "awaiting_promotion --> failed: fail",
      "running --> switch_failed: hold",
      "switch_failed --> running: retry_switch",
      "switch_failed --> aborted: abort",
      "switch_failed --> expired: expire",
      "running --> succeeded: finish",
      "succeeded --> rolling_back: rollback",
      "rolling_back --> rolled_back: finish",
      "rolled_back --> [*]",
    ])
      expect(doc).toContain(`  ${arrow}\n`);
  });
});
