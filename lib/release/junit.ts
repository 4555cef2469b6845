import { XMLParser, XMLValidator } from "fast-xml-parser";
import { MAX_TEST_REPORT_BYTES } from "./limits";

export { MAX_TEST_REPORT_BYTES };
/** How many of the slowest cases and of the failing cases a summary keeps. */
export const SLOWEST_KEPT = 5;
export const FAILURES_KEPT = 10;

export type TestCaseRef = { name: string; classname: string | null; timeSeconds: number | null };
export type FailedCase = TestCaseRef & { kind: "failure" | "error"; message: string | null };

/** What a JUnit XML report says, small enough to keep with the deployment. */
export type TestReportSummary = {
  total: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** From the report's root (or its suites, or its cases); null when the report gives no time. */
  timeSeconds: number | null;
  suites: number;
  slowest: TestCaseRef[];
  failures: FailedCase[];
};

/** A file that is not a JUnit report Greenlight can read, with what is wrong. */
export class TestReportError extends Error {}

type Node = Record<string, unknown>;

const LISTS = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => LISTS.has(name),
  parseAttributeValue: false,
  parseTagValue: false,
  htmlEntities: false,
});

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Surefire writes times with the build machine's grouping separator ("1,234.5"); an absent or bad time is null. */
function seconds(v: unknown): number | null {
  const s = text(v)?.replace(/,/g, "");
  if (s === undefined || s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

const nodes = (v: unknown): Node[] =>
  (Array.isArray(v) ? v : []).map((x) => (x !== null && typeof x === "object" ? (x as Node) : {}));

function firstMessage(outcome: Node[]): string | null {
  const first = outcome[0];
  if (!first) return null;
  const said = text(first["@message"]) ?? text(first["#text"]);
  return said ? said.split("\n")[0]!.slice(0, 300) : null;
}

type Walk = {
  cases: (TestCaseRef & { outcome: "passed" | "skipped" | "failure" | "error"; message: string | null })[];
  suites: number;
};

function walkSuite(suite: Node, into: Walk, depth: number): void {
  if (depth > 32) throw new TestReportError("test suites are nested more than 32 deep.");
  into.suites += 1;
  for (const c of nodes(suite.testcase)) {
    const name = text(c["@name"]);
    if (!name) throw new TestReportError(`a <testcase> in suite "${text(suite["@name"]) ?? "?"}" has no name.`);
    const failure = nodes(c.failure);
    const error = nodes(c.error);
    const outcome =
      failure.length > 0 ? "failure" : error.length > 0 ? "error" : c.skipped !== undefined ? "skipped" : "passed";
    into.cases.push({
      name,
      classname: text(c["@classname"]),
      timeSeconds: seconds(c["@time"]),
      outcome,
      message: outcome === "failure" ? firstMessage(failure) : outcome === "error" ? firstMessage(error) : null,
    });
  }
  for (const inner of nodes(suite.testsuite)) walkSuite(inner, into, depth + 1);
}

function lineOf(xml: string, index: number): number {
  return xml.slice(0, index).split("\n").length;
}

/**
 * Reads a JUnit XML report (pytest, jest-junit, Maven Surefire and the like): a `<testsuites>` root or a bare
 * `<testsuite>`, suites nested in suites, cases that fail, error or are skipped. Counts come from the cases
 * themselves, never from the suites' own attributes, which tools fill in differently.
 */
export function parseJUnit(xml: string): TestReportSummary {
  const bytes = Buffer.byteLength(xml, "utf8");
  if (bytes > MAX_TEST_REPORT_BYTES)
    throw new TestReportError(
      `the report is ${bytes} bytes; at most ${MAX_TEST_REPORT_BYTES} bytes (${MAX_TEST_REPORT_BYTES / 1024 / 1024} MiB) are accepted.`,
    );
  const body = xml.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw new TestReportError("the report is empty.");
  const doctype = /<!DOCTYPE/i.exec(body);
  // A JUnit report never needs a DTD; refusing one keeps entity expansion out of the parser.
  if (doctype)
    throw new TestReportError(`line ${lineOf(body, doctype.index)}: a DOCTYPE is not accepted in a test report.`);
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    throw new TestReportError(
      `not well-formed XML${valid.err.line ? ` at line ${valid.err.line}${valid.err.col ? `, column ${valid.err.col}` : ""}` : ""}: ${valid.err.msg}`,
    );
  const doc = parser.parse(body) as Node;
  const root = Object.keys(doc).find((k) => !k.startsWith("?") && !k.startsWith("#"));
  if (root !== "testsuites" && root !== "testsuite")
    throw new TestReportError(
      `the root element is <${root ?? "none"}>; a JUnit report's is <testsuites> or <testsuite>.`,
    );
  const walk: Walk = { cases: [], suites: 0 };
  const top = root === "testsuites" ? nodes([doc.testsuites])[0]! : {};
  const suites = root === "testsuites" ? nodes(top.testsuite) : nodes(doc.testsuite);
  for (const suite of suites) walkSuite(suite, walk, 1);
  if (walk.cases.length === 0) throw new TestReportError("the report holds no <testcase>.");

  const count = (o: string) => walk.cases.filter((c) => c.outcome === o).length;
  const suiteTimes = suites.map((s) => seconds(s["@time"]));
  const caseTimes = walk.cases.map((c) => c.timeSeconds);
  const sum = (xs: (number | null)[]) =>
    xs.some((x) => x !== null) ? Math.round(xs.reduce<number>((a, x) => a + (x ?? 0), 0) * 1000) / 1000 : null;
  const ref = ({ name, classname, timeSeconds }: TestCaseRef): TestCaseRef => ({ name, classname, timeSeconds });
  return {
    total: walk.cases.length,
    passed: count("passed"),
    failed: count("failure"),
    errors: count("error"),
    skipped: count("skipped"),
    timeSeconds: seconds(top["@time"]) ?? sum(suiteTimes) ?? sum(caseTimes),
    suites: walk.suites,
    slowest: walk.cases
      .filter((c) => c.timeSeconds !== null)
      .sort((a, b) => b.timeSeconds! - a.timeSeconds!)
      .slice(0, SLOWEST_KEPT)
      .map(ref),
    failures: walk.cases
      .filter((c) => c.outcome === "failure" || c.outcome === "error")
      .slice(0, FAILURES_KEPT)
      .map((c) => ({ ...ref(c), kind: c.outcome as "failure" | "error", message: c.message })),
  };
}

/** "Suite.name" when the case has a class name, for messages. */
export const caseLabel = (c: TestCaseRef): string => (c.classname ? `${c.classname}.${c.name}` : c.name);
