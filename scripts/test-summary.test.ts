import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-summary-"));
const report = path.join(dir, "vitest.json");

const files: Record<string, string> = {
  "vitest.config.mts": "export default {};\n",
  "setup-fails.test.ts": `import { beforeAll, expect, it } from "vitest";
beforeAll(() => { throw new Error("engine did not start"); });
it("one", () => expect(1).toBe(1));
it("two", () => expect(1).toBe(1));
`,
  "import-fails.test.ts": `import "./no-such-module";
import { expect, it } from "vitest";
it("three", () => expect(1).toBe(1));
`,
  "fine.test.ts": `import { expect, it } from "vitest";
it("passes", () => expect(1).toBe(1));
it.skip("is skipped", () => expect(1).toBe(2));
it("fails", () => expect(1).toBe(2));
`,
};

async function summary(...reports: string[]): Promise<{ code: number; lines: string[] }> {
  const result = await run("node", [path.join(ROOT, "scripts/test-summary.mjs"), ...reports]).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { code: result.code, lines: result.stdout.trim().split("\n") };
}

beforeAll(async () => {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const vitest = path.join(ROOT, "node_modules/.bin/vitest");
  await run(vitest, ["run", "--root", dir, "--reporter=json", `--outputFile.json=${report}`]).catch(() => undefined);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("scripts/test-summary.mjs", () => {
  it("counts a suite whose beforeAll threw, or whose import failed, as failed, not skipped", async () => {
    const { code, lines } = await summary(report);
    // setup-fails: 2 tests that never ran; import-fails: no test collected (1); fine: 1 failed, 1 passed, 1 skipped.
    expect(lines.at(-1)).toBe("tests: 1 passed, 4 failed, 1 skipped");
    expect(lines.some((l) => l.includes("setup-fails.test.ts") && l.includes("engine did not start"))).toBe(true);
    expect(lines.some((l) => l.includes("import-fails.test.ts") && l.includes("no-such-module"))).toBe(true);
    expect(code).toBe(1);
  });

  it("counts a missing report as a failure", async () => {
    const { code, lines } = await summary(report, path.join(dir, "never-written.json"));
    expect(lines.at(-1)).toBe("tests: 1 passed, 5 failed, 1 skipped");
    expect(code).toBe(1);
  });
});
