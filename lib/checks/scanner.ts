import { execFile } from "node:child_process";
import { AppError, ValidationError } from "@/lib/errors";

/** The configured scanner could not be run at all (as opposed to running and finding problems). */
export class ScannerError extends AppError {
  override readonly code = "scanner_failed";
}

export type ScannerResult = { ok: boolean; exitCode: number | null; output: string; ms: number; reason?: string };

const OUTPUT_LIMIT = 4096;

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

/** Runs the vulnerability scanner without a shell; ok means it exited 0. */
export function runScanner({ command, image, timeoutMs }: { command: string[]; image: string; timeoutMs: number }): Promise<ScannerResult> {
  const [file, ...args] = scannerArgv(command, image) as [string, ...string[]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      const ms = Math.round(performance.now() - started);
      const output = truncateOutput([stdout, stderr].filter(Boolean).join(stdout && stderr ? "\n" : ""));
      if (!error) return resolve({ ok: true, exitCode: 0, output, ms });
      const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
      if (e.code === "ENOENT") return reject(new ScannerError(`scanner ${file} not found on PATH`));
      if (e.code === "EACCES") return reject(new ScannerError(`scanner ${file} is not executable`));
      if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return resolve({ ok: false, exitCode: null, output, ms, reason: "scanner output exceeded 16 MB" });
      if (e.killed || e.signal) {
        const reason = e.killed ? `scanner timed out after ${timeoutMs} ms` : `scanner killed by ${e.signal ?? "a signal"}`;
        return resolve({ ok: false, exitCode: null, output, ms, reason });
      }
      const exitCode = typeof e.code === "number" ? e.code : null;
      resolve({ ok: false, exitCode, output, ms, reason: `scanner exited with code ${exitCode ?? "?"}` });
    });
  });
}
