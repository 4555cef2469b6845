import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDb } from "@/lib/auth/test-db";
import { queryAudit } from "./query";
import { recordThrottledRefusal, REFUSAL_LIMIT } from "./throttle";

let fx: ReturnType<typeof tempDb>;
beforeEach(() => (fx = tempDb()));
afterEach(() => fx.close());

const refusal = (sourceIp: string, action = "deployment.promote") => ({
  actor: "anonymous",
  action,
  outcome: "denied" as const,
  reason: "Sign in first",
  sourceIp,
});

describe("refusals by callers nobody can be held to", () => {
  it("records at most the limit per source and action a minute, then says how many were left out", () => {
    const t0 = 5_000_000;
    for (let i = 0; i < 500; i++) recordThrottledRefusal(fx.db, refusal("203.0.113.9"), t0 + i);
    expect(queryAudit(fx.db, {}).total).toBe(REFUSAL_LIMIT.perWindow);
    // Another source and another action have their own allowance.
    recordThrottledRefusal(fx.db, refusal("198.51.100.1"), t0 + 600);
    recordThrottledRefusal(fx.db, refusal("203.0.113.9", "auth.login"), t0 + 600);
    expect(queryAudit(fx.db, {}).total).toBe(REFUSAL_LIMIT.perWindow + 2);
    const next = recordThrottledRefusal(fx.db, refusal("203.0.113.9"), t0 + REFUSAL_LIMIT.windowMs);
    expect(JSON.parse(next!.details)).toEqual({ suppressed: 500 - REFUSAL_LIMIT.perWindow });
  });
});
