import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { DeploymentStep } from "@/lib/db/schema";
import { FailureNote } from "@/components/deploy/failure-note";
import { StepDetail } from "@/components/deploy/step-detail";

const step = (over: Partial<DeploymentStep>): DeploymentStep => ({
  id: 1,
  deploymentId: "d1",
  phase: "health",
  status: "failed",
  startedAt: 1,
  endedAt: 2,
  summary: null,
  detail: null,
  ...over,
});

const answer = {
  status: 200,
  body: '<img src=x onerror="alert(1)"><script>alert(2)</script>{"version":"1.9.0"}',
  bodyTruncated: true,
  logs: "<b>started</b>\n",
};
const failed = step({
  summary: "The image reports 1.9.0; this release expects 2.0.5 (is the tag right?).",
  detail: { kind: "wrong_version", attempts: 3, answer },
});

describe("a failure on the deployment page", () => {
  it("names its kind, explains it, gives the next step and shows what the app said", () => {
    const html = renderToStaticMarkup(
      createElement(FailureNote, { steps: [step({ phase: "preflight", status: "passed" }), failed] }),
    );
    expect(html).toContain('data-kind="wrong_version"');
    expect(html).toContain("Wrong version");
    expect(html).toContain("Next step:");
    expect(html).toContain("Check the tag points at the right build");
    expect(html).toContain("first 2 KB of the body");
  });

  it("shows the app's body and logs as text: markup in them is escaped, never rendered", () => {
    for (const html of [
      renderToStaticMarkup(createElement(FailureNote, { steps: [failed] })),
      renderToStaticMarkup(createElement(StepDetail, { step: failed })),
    ]) {
      expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
      expect(html).toContain("&lt;b&gt;started&lt;/b&gt;");
      expect(html).not.toMatch(/<img|<script|<b>/);
    }
  });

  it("says nothing for an aborted deployment or one without a failed step", () => {
    expect(
      renderToStaticMarkup(createElement(FailureNote, { steps: [step({ summary: "Aborted by a release manager." })] })),
    ).toBe("");
    expect(renderToStaticMarkup(createElement(FailureNote, { steps: [step({ status: "passed" })] }))).toBe("");
  });
});
