import path from "node:path";

/** The example stack the e2e server drives: nginx on LB, the two colours on their own ports (this suite's range). */
export const STACK = { service: "privatetrade", lbPort: 47000, bluePort: 47001, greenPort: 47002 } as const;
export const STACK_LB_URL = `http://127.0.0.1:${STACK.lbPort}`;

/** The stack lives inside the run's own temp dir, so the same guard and clean-up cover it. */
export const stackRoot = (runDir: string) => path.join(runDir, "stack");
export const stackConfigFile = (runDir: string) => path.join(stackRoot(runDir), "greenlight.yaml");
export const stackDataDir = (runDir: string) => path.join(stackRoot(runDir), "data");
