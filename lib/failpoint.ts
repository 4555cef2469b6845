/**
 * Crash points for the crash-recovery tests: with GREENLIGHT_TEST_FAILPOINTS=1 and GREENLIGHT_FAILPOINT=<name>,
 * the process kills itself with SIGKILL when it reaches that point, as a power cut would.
 */
export function failpoint(name: string): void {
  if (process.env.GREENLIGHT_TEST_FAILPOINTS === "1" && process.env.GREENLIGHT_FAILPOINT === name) {
    process.kill(process.pid, "SIGKILL");
  }
}
