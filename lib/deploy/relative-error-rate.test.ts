import { describe, expect, it } from "vitest";
import { relativeErrorRate } from "./metrics-evaluator";

const t = { minRequests: 10, relativeErrorRatePoints: 2 };

describe("the relative rule of a weighted step", () => {
  it("breaches when the new colour's 5xx rate is more than the allowed points above the old colour's", () => {
    // 3 of 20 = 15 %, against 1 of 200 = 0.5 %: 14.5 points above.
    const judged = relativeErrorRate({ requests: 20, errors5xx: 3 }, { requests: 200, errors5xx: 1 }, t);
    expect(judged.breach).toBe(true);
    expect(judged.points).toBeCloseTo(14.5, 6);
  });

  it("passes within the allowance, including when both colours fail alike", () => {
    expect(relativeErrorRate({ requests: 100, errors5xx: 12 }, { requests: 900, errors5xx: 90 }, t)).toMatchObject({
      breach: false,
    });
    expect(relativeErrorRate({ requests: 50, errors5xx: 1 }, { requests: 450, errors5xx: 0 }, t).breach).toBe(false);
  });

  it("does not judge while either colour served fewer than minRequests", () => {
    expect(relativeErrorRate({ requests: 9, errors5xx: 9 }, { requests: 500, errors5xx: 0 }, t)).toEqual({
      breach: false,
      points: 0,
    });
    expect(relativeErrorRate({ requests: 50, errors5xx: 25 }, { requests: 5, errors5xx: 0 }, t).breach).toBe(false);
  });
});
