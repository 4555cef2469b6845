import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ConfigError, parseConfig } from "./load";

const EXAMPLE = path.resolve(__dirname, "../../examples/privatetrade/greenlight.yaml");

function withSteps(steps: unknown) {
  const doc = parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, any>;
  doc.services[0].promotion = { ...doc.services[0].promotion, steps };
  return parseConfig(stringify(doc), "/etc/greenlight.yaml").services[0]!;
}
function problemsOf(steps: unknown): string[] {
  try {
    withSteps(steps);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("the config was accepted");
}

describe("promotion.steps", () => {
  it("is absent by default (all traffic moves at once), with a relative error-rate rule of 2 points", () => {
    const doc = parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, any>;
    const svc = parseConfig(stringify(doc), "/etc/greenlight.yaml").services[0]!;
    expect(svc.promotion.steps).toBeUndefined();
    expect(svc.thresholds.relativeErrorRatePoints).toBe(2);
  });

  it("takes bare percents (30 s pauses) and steps with a pause in seconds or manual", () => {
    expect(withSteps([10, { percent: 50, pause: "manual" }, { percent: 75, pause: 5 }, 100]).promotion.steps).toEqual([
      { percent: 10, pause: 30 },
      { percent: 50, pause: "manual" },
      { percent: 75, pause: 5 },
      { percent: 100, pause: 30 },
    ]);
  });

  it("refuses shares that do not rise, a plan not ending at 100 %, and shares outside 1-100", () => {
    expect(problemsOf([10, 10, 100]).join("\n")).toMatch(/must rise: 10 % follows 10 %/);
    expect(problemsOf([10, 50]).join("\n")).toMatch(/last step must be 100 %/);
    expect(problemsOf([0, 100]).join("\n")).toMatch(/steps/);
    expect(problemsOf([100]).join("\n")).toMatch(/at least one share below 100/);
    expect(problemsOf([{ percent: 10, pause: "later" }, 100]).join("\n")).toMatch(/steps/);
  });
});
