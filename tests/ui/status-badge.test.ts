import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { badgeLook, StatusBadge } from "@/components/ui/status-badge";

describe("status badges", () => {
  it("gives each known state its label and colour", () => {
    expect(badgeLook("deployment", "awaiting_promotion")).toEqual({ label: "Ready to promote", tone: "amber" });
    expect(badgeLook("deployment", "rolled_back")).toEqual({ label: "Rolled back", tone: "violet" });
    expect(badgeLook("step", "not_run")).toEqual({ label: "not run", tone: "neutral" });
    expect(badgeLook("rollbackRequest", "approved")).toEqual({ label: "approved", tone: "blue" });
    expect(badgeLook("auditOutcome", "denied")).toEqual({ label: "denied", tone: "amber" });
    expect(badgeLook("apiToken", "revoked")).toEqual({ label: "revoked", tone: "red" });
    expect(badgeLook("health", "unknown")).toEqual({ label: "health unknown", tone: "neutral" });
  });

  it("draws a state it does not know as its own name, neutral, even one named like an object property", () => {
    expect(badgeLook("check", "flaky")).toEqual({ label: "flaky", tone: "neutral" });
    expect(badgeLook("check", "constructor")).toEqual({ label: "constructor", tone: "neutral" });
  });

  it("renders the label in the tone's colours, and children replace the label", () => {
    expect(renderToStaticMarkup(createElement(StatusBadge, { kind: "user", status: "disabled" }))).toMatch(
      /^<span class="[^"]*border-red-700 bg-red-950 text-red-200[^"]*">disabled<\/span>$/,
    );
    const custom = renderToStaticMarkup(
      createElement(StatusBadge, { kind: "check", status: "failed", title: "why" }, "timed out"),
    );
    expect(custom).toContain('title="why"');
    expect(custom).toMatch(/text-red-200" title="why">timed out<\/span>$/);
  });
});
