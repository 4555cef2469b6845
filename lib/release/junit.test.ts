import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_TEST_REPORT_BYTES, parseJUnit, TestReportError } from "./junit";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

function refusal(xml: string): string {
  try {
    parseJUnit(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(TestReportError);
    return (error as Error).message;
  }
  throw new Error("the report was accepted");
}

describe("parseJUnit", () => {
  it("reads pytest's report: a failure, an error on setup, a skip and an xfail", () => {
    const r = parseJUnit(fixture("pytest.xml"));
    expect(r).toMatchObject({ total: 7, passed: 3, failed: 1, errors: 1, skipped: 2, suites: 1, timeSeconds: 3.412 });
    expect(r.failures).toEqual([
      {
        name: "test_order_total[eur]",
        classname: "tests.test_orders",
        timeSeconds: 1.204,
        kind: "failure",
        message: "AssertionError: assert 10.5 == 10.0",
      },
      {
        name: "test_migration",
        classname: "tests.test_db",
        timeSeconds: 0,
        kind: "error",
        message: 'failed on setup with "sqlite3.OperationalError: no such table: accounts"',
      },
    ]);
    expect(r.slowest.slice(0, 3).map((c) => [c.name, c.timeSeconds])).toEqual([
      ["test_order_total[eur]", 1.204],
      ["test_order_total[usd]", 0.998],
      ["test_create_order", 0.021],
    ]);
  });

  it("reads jest-junit's report with its root time and two suites", () => {
    const r = parseJUnit(fixture("jest-junit.xml"));
    expect(r).toMatchObject({ total: 6, passed: 5, failed: 0, errors: 0, skipped: 1, suites: 2, timeSeconds: 2.846 });
    expect(r.failures).toEqual([]);
    expect(r.slowest[0]).toEqual({
      name: "Checkout applies a discount code",
      classname: "Checkout applies a discount code",
      timeSeconds: 1.377,
    });
    expect(r.slowest).toHaveLength(5);
  });

  it("reads a bare Surefire <testsuite>: grouped times, CDATA stack traces, a flaky pass counted as passed", () => {
    const r = parseJUnit(fixture("surefire.xml"));
    expect(r).toMatchObject({ total: 5, passed: 3, failed: 1, errors: 0, skipped: 1, suites: 1, timeSeconds: 1204.7 });
    expect(r.failures[0]).toMatchObject({
      name: "rejectsUnbalancedEntries",
      message: "expected: <422> but was: <200>",
    });
    expect(r.slowest[0]).toEqual({
      name: "closesThePeriod",
      classname: "com.privatetrade.ledger.LedgerServiceTest",
      timeSeconds: 1201.3,
    });
  });

  it("walks suites nested in suites", () => {
    const r = parseJUnit(fixture("nested.xml"));
    expect(r).toMatchObject({ total: 3, passed: 2, errors: 1, failed: 0, suites: 4, timeSeconds: 9.5 });
    expect(r.slowest.map((c) => c.name)).toEqual(["bans", "creates", "lists"]);
    expect(r.failures).toEqual([
      { name: "creates", classname: null, timeSeconds: 4, kind: "error", message: "timeout after 4 s" },
    ]);
  });

  it("names the line of a malformed file", () => {
    const message = refusal(fixture("malformed-unclosed.xml"));
    expect(message).toMatch(/^not well-formed XML at line 5, column \d+: .*testcase/);
  });

  it("refuses XML that is not a JUnit report, naming its root", () => {
    expect(refusal(fixture("not-junit.xml"))).toBe(
      "the root element is <coverage>; a JUnit report's is <testsuites> or <testsuite>.",
    );
  });

  it("refuses a DOCTYPE, so no entity is ever expanded", () => {
    expect(refusal(fixture("doctype.xml"))).toBe("line 2: a DOCTYPE is not accepted in a test report.");
  });

  it("refuses empty files, plain text, reports without cases and nameless cases", () => {
    expect(refusal("  \n")).toBe("the report is empty.");
    expect(refusal("51 passed, 0 failed")).toMatch(/^not well-formed XML at line 1/);
    expect(refusal('<testsuites tests="0"></testsuites>')).toBe("the report holds no <testcase>.");
    expect(refusal('<testsuite name="s"><testcase time="1"/></testsuite>')).toBe(
      'a <testcase> in suite "s" has no name.',
    );
  });

  it("refuses a report over the size limit before parsing it", () => {
    const shell = "<testsuite></testsuite>";
    const big = `<testsuite>${"x".repeat(2 * 1024 * 1024 - shell.length + 1)}</testsuite>`;
    expect(refusal(big)).toBe("the report is 2097153 bytes; at most 2097152 bytes (2 MiB) are accepted.");
    expect(refusal(big.slice(1))).toMatch(/^not well-formed XML/);
  });
});
