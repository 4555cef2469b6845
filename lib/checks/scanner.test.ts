import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { runScanner, ScannerError, scannerArgv, truncateOutput } from "./scanner";

function processesWith(marker: string): string[] {
  return fs.readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
    } catch {
      return false;
    }
  });
}

describe("vulnerability scanner", () => {
  it("replaces {image} in every argv word and nothing else", () => {
    expect(
      scannerArgv(["trivy", "image", "--exit-code", "1", "{image}", "--label={image}"], "privatetrade:2.0.0"),
    ).toEqual(["trivy", "image", "--exit-code", "1", "privatetrade:2.0.0", "--label=privatetrade:2.0.0"]);
    expect(() => scannerArgv([], "x")).toThrow(ValidationError);
    expect(() => scannerArgv(["trivy", "{image}"], "--privileged")).toThrow(ValidationError);
  });

  it("passes on exit 0 and keeps the output", async () => {
    const r = await runScanner({
      command: ["/bin/sh", "-c", 'echo "scanned $0"; echo "0 vulnerabilities" >&2', "{image}"],
      image: "privatetrade:2.0.0",
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ ok: true, exitCode: 0, output: "scanned privatetrade:2.0.0\n\n0 vulnerabilities\n" });
  });

  it("fails on a non-zero exit with the exit code", async () => {
    const r = await runScanner({
      command: ["/bin/sh", "-c", "echo 'CRITICAL: 2'; exit 3"],
      image: "privatetrade:2.0.0",
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ ok: false, exitCode: 3, output: "CRITICAL: 2\n", reason: "scanner exited with code 3" });
  });

  it("never runs the image reference through a shell", async () => {
    const r = await runScanner({
      command: ["/bin/echo", "{image}"],
      image: "a;touch /tmp/gltest-d-pwned",
      timeoutMs: 10_000,
    });
    expect(r.output).toBe("a;touch /tmp/gltest-d-pwned\n");
  });

  it("says clearly when the scanner binary is missing", async () => {
    const run = runScanner({
      command: ["gltest-d-trivy-missing", "image", "{image}"],
      image: "x:1",
      timeoutMs: 10_000,
    });
    await expect(run).rejects.toBeInstanceOf(ScannerError);
    await expect(run).rejects.toThrow("scanner gltest-d-trivy-missing not found on PATH");
  });

  it("stops a scanner that runs past its timeout, with everything it started", async () => {
    const r = await runScanner({
      command: ["/bin/sh", "-c", "sleep 7.4321 >/dev/null 2>&1; true"],
      image: "x:1",
      timeoutMs: 200,
    });
    expect(r).toMatchObject({ ok: false, exitCode: null, reason: "scanner timed out after 200 ms" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith("7.4321")).toEqual([]);
  });

  it("keeps only the end of long output", () => {
    const text = `${"a".repeat(5000)}SUMMARY`;
    const out = truncateOutput(text, 100);
    expect(out.endsWith("SUMMARY")).toBe(true);
    expect(out.startsWith("[4907 earlier characters left out]\n")).toBe(true);
  });
});
