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

const FAILED = { status: "failed", keptUntil: null } as const;

describe("a failure on the deployment page", () => {
  it("names its kind, explains it, gives the next step and shows what the app said", () => {
    const html = renderToStaticMarkup(
      createElement(FailureNote, {
        deployment: FAILED,
        steps: [step({ phase: "preflight", status: "passed" }), failed],
      }),
    );
    expect(html).toContain('data-kind="wrong_version"');
    expect(html).toContain("Wrong version");
    expect(html).toContain("Next step:");
    expect(html).toContain("Check the tag points at the right build");
    expect(html).toContain("first 2 KB of the body");
  });

  it("shows the app's body and logs as text: markup in them is escaped, never rendered", () => {
    for (const html of [
      renderToStaticMarkup(createElement(FailureNote, { deployment: FAILED, steps: [failed] })),
      renderToStaticMarkup(createElement(StepDetail, { step: failed })),
    ]) {
      expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
      expect(html).toContain("&lt;b&gt;started&lt;/b&gt;");
      expect(html).not.toMatch(/<img|<script|<b>/);
    }
  });

  it("says nothing for an aborted deployment or one without a failed step", () => {
    expect(
      renderToStaticMarkup(
        createElement(FailureNote, { deployment: FAILED, steps: [step({ summary: "Aborted by a release manager." })] }),
      ),
    ).toBe("");
    expect(
      renderToStaticMarkup(createElement(FailureNote, { deployment: FAILED, steps: [step({ status: "passed" })] })),
    ).toBe("");
  });

  it("for a switch that failed on nginx, says to fix nginx and retry the switch before the kept target goes", () => {
    const refused = step({
      phase: "switch",
      summary: "nginx rejected the configuration, so traffic was not switched (previous upstream restored): x",
      detail: { kind: "nginx_config_invalid", trafficMoved: false },
    });
    const keptUntil = Date.parse("2026-12-03T14:05:00Z");
    const html = renderToStaticMarkup(
      createElement(FailureNote, { deployment: { status: "switch_failed", keptUntil }, steps: [refused] }),
    );
    expect(html).toContain('data-kind="nginx_config_invalid"');
    expect(html).toContain("then Retry the switch");
    expect(html).toContain("14:05 UTC");
    expect(html).not.toContain("deploy again");
    // The same step on a deployment that ended (its kept target expired) points to a new deployment.
    const ended = renderToStaticMarkup(createElement(FailureNote, { deployment: FAILED, steps: [refused] }));
    expect(ended).toContain("then deploy again");
    expect(ended).not.toContain("Retry the switch");
    const aborted = { status: "aborted", keptUntil: null } as const;
    expect(renderToStaticMarkup(createElement(FailureNote, { deployment: aborted, steps: [refused] }))).toBe("");
  });
});
