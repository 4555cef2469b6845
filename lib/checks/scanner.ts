import { spawn } from "node:child_process";
import { AppError, ValidationError } from "@/lib/errors";

/** The configured scanner could not be run at all (as opposed to running and finding problems). */
export class ScannerError extends AppError {
  override readonly code = "scanner_failed";
}

type ScannerResult = { ok: boolean; exitCode: number | null; output: string; ms: number; reason?: string };

const OUTPUT_LIMIT = 4096;
const OUTPUT_KEEP = 64 * 1024;

/** Keeps the end of the output, where scanners print their summary. */
export function truncateOutput(text: string, limit = OUTPUT_LIMIT): string {
  if (text.length <= limit) return text;
  return `[${text.length - limit} earlier characters left out]\n${text.slice(-limit)}`;
}

/** The argv with every literal `{image}` replaced; pure, so callers and tests see exactly what runs. */
export function scannerArgv(command: string[], image: string): string[] {
  if (command.length === 0 || !command[0]) throw new ValidationError("The scanner command is empty");
  if (image.startsWith("-")) throw new ValidationError("An image reference cannot start with '-'");
  return command.map((word) => word.replaceAll("{image}", image));
}

/**
 * Runs the vulnerability scanner without a shell; ok means it exited 0. It runs in its own process
 * group so a timeout also stops anything it started.
 */
export function runScanner({
  command,
  image,
  timeoutMs,
}: {
  command: string[];
  image: string;
  timeoutMs: number;
}): Promise<ScannerResult> {
  const [file, ...args] = scannerArgv(command, image) as [string, ...string[]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const keep = (text: string, chunk: Buffer) => (text + chunk.toString("utf8")).slice(-OUTPUT_KEEP);
    child.stdout.on("data", (chunk: Buffer) => (stdout = keep(stdout, chunk)));
    child.stderr.on("data", (chunk: Buffer) => (stderr = keep(stderr, chunk)));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ENOENT") reject(new ScannerError(`scanner ${file} not found on PATH`));
      else if (error.code === "EACCES") reject(new ScannerError(`scanner ${file} is not executable`));
      else reject(new ScannerError(`scanner ${file} could not start: ${error.message}`, { cause: error }));
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      const ms = Math.round(performance.now() - started);
      const output = truncateOutput([stdout, stderr].filter(Boolean).join(stdout && stderr ? "\n" : ""));
      if (exitCode === 0) return resolve({ ok: true, exitCode, output, ms });
      const reason = timedOut
        ? `scanner timed out after ${timeoutMs} ms`
        : signal
          ? `scanner killed by ${signal}`
          : `scanner exited with code ${exitCode ?? "?"}`;
      resolve({ ok: false, exitCode: timedOut ? null : exitCode, output, ms, reason });
    });
  });
}

/** Kills the scanner's process group; it may already be gone, which is fine. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
