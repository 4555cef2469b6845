import { describe, expect, it } from "vitest";
import { exportAudit } from "./export";
import { auditFromRequest } from "./from-request";
import type { AuditRow } from "./types";

const row: AuditRow = {
  id: 7,
  at: Date.UTC(2025, 0, 2, 3, 4, 5),
  actor: "=HYPERLINK(\"http://x\")",
  role: "admin",
  action: "rollback.request",
  target: "privatetrade",
  sourceIp: "10.0.0.1",
  userAgent: "Mozilla, \"quoted\"\nnext line",
  outcome: "denied",
  reason: "-2+3",
  details: '{"a":1}',
  prevHash: "0".repeat(64),
  hash: "ab".repeat(32),
};

describe("exportAudit", () => {
  it("writes quoted, formula-safe CSV", () => {
    const [header, line, end] = exportAudit([row], "csv").split("\r\n");
    expect(header).toBe('"id","at","actor","role","action","target","source_ip","user_agent","outcome","reason","details","prev_hash","hash"');
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
    expect(JSON.parse(exportAudit([row], "json"))).toEqual([{ ...row, at: "2025-01-02T03:04:05.000Z", details: { a: 1 } }]);
  });
});

describe("auditFromRequest", () => {
  const headers = new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.2", "x-real-ip": "10.0.0.2", "user-agent": "curl/8.0" });

  it("trusts x-forwarded-for's first hop only behind a trusted proxy", () => {
    expect(auditFromRequest(headers, { GREENLIGHT_TRUST_PROXY: "1" })).toEqual({ sourceIp: "203.0.113.9", userAgent: "curl/8.0" });
    expect(auditFromRequest(headers, {})).toEqual({ sourceIp: "10.0.0.2", userAgent: "curl/8.0" });
  });

  it("ignores addresses that are not addresses and reads plain header records", () => {
    expect(auditFromRequest({ "x-real-ip": "<script>", "user-agent": undefined }, {})).toEqual({ sourceIp: null, userAgent: null });
    expect(auditFromRequest(new Headers(), {})).toEqual({ sourceIp: null, userAgent: null });
  });
});
