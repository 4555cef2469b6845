import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";
import { REDACTED } from "@/lib/config/secrets";
import { scrubDetail } from "./secrets-of";

const EXAMPLE = path.resolve(__dirname, "../../examples/privatetrade/greenlight.yaml");
const QUOTED = 'pa"ss\\wo"rd-9';
const DIGITS = "73519024";

function service() {
  const svc = structuredClone(loadConfig(EXAMPLE).services[0]!);
  svc.container.env.QUOTED_SECRET = { value: QUOTED, secret: true };
  svc.container.env.PIN = { value: DIGITS, secret: true };
  return svc;
}

describe("scrubDetail (step details)", () => {
  it("cuts secrets holding quotes, backslashes or only digits out of every value, key and number", () => {
    const detail = {
      logs: [`login with ${QUOTED} ok`, `pin ${DIGITS}`],
      probe: { status: 200, body: `{"password":"${QUOTED}"}` },
      pin: Number(DIGITS),
      [`seen-${DIGITS}`]: true,
      port: 3001,
    };
    const out = scrubDetail(service(), detail) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain(DIGITS);
    expect(out).toEqual({
      logs: [`login with ${REDACTED} ok`, `pin ${REDACTED}`],
      probe: { status: 200, body: `{"password":"${REDACTED}"}` },
      pin: REDACTED,
      [`seen-${REDACTED}`]: true,
      port: 3001,
    });
  });

  it("leaves details without secrets as they were, and undefined as undefined", () => {
    const detail = { checks: [{ name: "disk", ok: true, freeMb: 812.5 }], note: null };
    expect(scrubDetail(service(), detail)).toEqual(detail);
    expect(scrubDetail(service(), undefined)).toBeUndefined();
  });
});
