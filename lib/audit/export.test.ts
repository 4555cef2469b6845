import { describe, expect, it } from "vitest";
import { exportAudit } from "./export";
import { auditFromRequest } from "./from-request";
import type { AuditRow } from "./types";

const row: AuditRow = {
  id: 7,
  at: Date.UTC(2025, 0, 2, 3, 4, 5),
  actor: '=HYPERLINK("http://x")',
  role: "admin",
  action: "rollback.request",
  target: "privatetrade",
  sourceIp: "10.0.0.1",
  userAgent: 'Mozilla, "quoted"\nnext line',
  outcome: "denied",
  reason: "-2+3",
  details: '{"a":1}',
  prevHash: "0".repeat(64),
  hash: "ab".repeat(32),
};

describe("exportAudit", () => {
  it("writes quoted, formula-safe CSV", () => {
    const [header, line, end] = exportAudit([row], "csv").split("\r\n");
    expect(header).toBe(
      '"id","at","actor","role","action","target","source_ip","user_agent","outcome","reason","details","prev_hash","hash"',
    );
    expect(line).toBe(
      `"7","2025-01-02T03:04:05.000Z","'=HYPERLINK(""http://x"")","admin","rollback.request","privatetrade","10.0.0.1","Mozilla, ""quoted""\nnext line","denied","'-2+3","{""a"":1}","${"0".repeat(64)}","${"ab".repeat(32)}"`,
    );
    expect(end).toBe("");
  });

  it("prefixes every formula start character", () => {
    for (const start of ["=", "+", "-", "@"]) {
      const csv = exportAudit([{ ...row, reason: `${start}cmd` }], "csv");
      expect(csv).toContain(`"'${start}cmd"`);
    }
  });

  it("writes JSON with parsed details and ISO times", () => {
    expect(JSON.parse(exportAudit([row], "json"))).toEqual([
      { ...row, at: "2025-01-02T03:04:05.000Z", details: { a: 1 } },
    ]);
  });
});

describe("auditFromRequest and the client address", () => {
  const forged = {
    "x-forwarded-for": "203.0.113.9, 198.51.100.4",
    "x-real-ip": "192.0.2.77",
    "user-agent": "curl/8.0",
  };
  const via = (peer: string, extra: Record<string, string> = {}) =>
    new Headers({ ...forged, ...extra, "x-greenlight-peer": peer });

  it("takes the TCP peer and ignores forwarded headers from a peer that is no trusted proxy", () => {
    expect(auditFromRequest(via("10.0.0.5"), {})).toEqual({ sourceIp: "10.0.0.5", userAgent: "curl/8.0" });
    expect(auditFromRequest(via("10.0.0.5"), { GREENLIGHT_TRUST_PROXY: "127.0.0.1" }).sourceIp).toBe("10.0.0.5");
    // The old switch named no proxy: it trusts nobody now.
    expect(auditFromRequest(via("127.0.0.1"), { GREENLIGHT_TRUST_PROXY: "1" }).sourceIp).toBe("127.0.0.1");
  });

  it("behind a named proxy, takes the entry that proxy added (the last one no trusted proxy wrote)", () => {
    const env = { GREENLIGHT_TRUST_PROXY: "127.0.0.1, 10.0.0.2" };
    expect(auditFromRequest(via("127.0.0.1"), env).sourceIp).toBe("198.51.100.4");
    expect(
      auditFromRequest(via("::ffff:127.0.0.1", { "x-forwarded-for": "203.0.113.9, 198.51.100.4, 10.0.0.2" }), env)
        .sourceIp,
    ).toBe("198.51.100.4");
    const realOnly = new Headers({
      "x-greenlight-peer": "127.0.0.1",
      "x-forwarded-for": "127.0.0.1",
      "x-real-ip": "192.0.2.77",
    });
    expect(auditFromRequest(realOnly, env).sourceIp).toBe("192.0.2.77");
    expect(auditFromRequest(via("127.0.0.1", { "x-forwarded-for": "<script>, 198.51.100.4" }), env).sourceIp).toBe(
      "198.51.100.4",
    );
    expect(auditFromRequest(via("127.0.0.1", { "x-forwarded-for": "198.51.100.4, <script>" }), env).sourceIp).toBe(
      "127.0.0.1",
    );
  });

  it("knows no address for a request that did not come through Greenlight's server, whatever it claims", () => {
    expect(auditFromRequest(new Headers(forged), {})).toEqual({ sourceIp: null, userAgent: "curl/8.0" });
    expect(
      auditFromRequest({ "x-real-ip": "10.0.0.1", "user-agent": undefined }, { GREENLIGHT_TRUST_PROXY: "10.0.0.1" }),
    ).toEqual({ sourceIp: null, userAgent: null });
  });
});
