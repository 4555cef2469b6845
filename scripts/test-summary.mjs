// Adds up the vitest and Playwright JSON reports into one closing line: `tests: N passed, N failed, N skipped`.
// A report that is missing counts as a failure: a runner that never reported ran nothing we can vouch for.
// A suite that failed to run (its beforeAll threw, an import failed) counts as failed, never as skipped: each of its
// tests that did not pass counts as one failure, and a suite that failed before collecting any test counts as one.
// The same for Playwright's errors outside a test (global setup, a spec that does not load).
import fs from "node:fs";

/** Vitest's JSON report (jest-compatible): per-file status plus each test's status. */
export function countVitest(report) {
  const out = { passed: 0, failed: 0, skipped: 0, broken: [] };
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const passed = tests.filter((t) => t.status === "passed").length;
    out.passed += passed;
    if (file.status === "failed" && !tests.some((t) => t.status === "failed")) {
      out.failed += Math.max(1, tests.length - passed);
      out.broken.push(`${file.name}: ${(file.message ?? "").split("\n")[0]}`);
    } else {
      out.skipped += tests.filter(
        (t) => t.status === "pending" || t.status === "skipped" || t.status === "todo",
      ).length;
      out.failed += tests.filter((t) => t.status === "failed").length;
    }
  }
  return out;
}

/** Playwright's JSON report: stats, plus errors raised outside any test. */
export function countPlaywright(report) {
  const errors = report.errors ?? [];
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected + errors.length,
    skipped: report.stats.skipped,
    broken: errors.map((e) => `playwright: ${(e.message ?? "").split("\n")[0]}`),
  };
}

export function summarize(files) {
  const total = { passed: 0, failed: 0, skipped: 0, lines: [] };
  for (const file of files) {
    if (!fs.existsSync(file)) {
      total.lines.push(`missing report: ${file}`);
      total.failed++;
      continue;
    }
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    const counted = report.testResults ? countVitest(report) : report.stats ? countPlaywright(report) : null;
    if (!counted) {
      total.lines.push(`unreadable report: ${file}`);
      total.failed++;
      continue;
    }
    total.passed += counted.passed;
    total.failed += counted.failed;
    total.skipped += counted.skipped;
    for (const line of counted.broken) total.lines.push(`failed to run: ${line}`);
  }
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const total = summarize(process.argv.slice(2));
  for (const line of total.lines) console.log(line);
  console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
}
