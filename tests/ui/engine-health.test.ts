import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EngineHealth } from "@/components/health/engine-health";

const ok = { ok: true, detail: "fine" };

describe("the header's engine health", () => {
  it("shows nothing while the engine drives and the collectors run", () => {
    expect(renderToStaticMarkup(createElement(EngineHealth, { engine: ok, collectors: ok }))).toBe("");
  });

  it("names what is degraded, with the check's words for a screen reader and on hover", () => {
    const standby = { ok: false, detail: "another Greenlight process (pid 41) holds the engine lease" };
    const failing = { ok: false, detail: "metric collector(s) failing: accessLog (3 failures in a row)" };
    const one = renderToStaticMarkup(createElement(EngineHealth, { engine: standby, collectors: ok }));
    expect(one).toContain('data-testid="engine-health"');
    expect(one).toMatch(/>Engine degraded</);
    expect(one).toContain("pid 41");
    const both = renderToStaticMarkup(createElement(EngineHealth, { engine: standby, collectors: failing }));
    expect(both).toMatch(/>Engine and Metrics degraded</);
    expect(both).toContain("accessLog (3 failures in a row)");
  });
});
