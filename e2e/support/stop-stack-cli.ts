// Run by the e2e web server command when `next start` exits on its own (e.g. a missing build): the global
// teardown never runs then, so the stack is stopped here.
import { stopStack } from "./stop-stack";

const runDir = process.env.GREENLIGHT_E2E_DATA_DIR;
if (!runDir) throw new Error("GREENLIGHT_E2E_DATA_DIR is not set");
stopStack(runDir).catch((error: unknown) => {
  console.error("[e2e stack] clean-up failed:", error);
  process.exit(1);
});
