import path from "node:path";

/**
 * The example stack the e2e server drives: nginx on LB, the two colours on the next two ports. GREENLIGHT_E2E_LB_PORT
 * moves the whole range, so a second run (a CI rehearsal beside a developer's run) does not collide.
 */
const LB = Number(process.env.GREENLIGHT_E2E_LB_PORT ?? 47000);
export const STACK = { service: "privatetrade", lbPort: LB, bluePort: LB + 1, greenPort: LB + 2 } as const;
export const STACK_LB_URL = `http://127.0.0.1:${STACK.lbPort}`;

/** The stack lives inside the run's own temp dir, so the same guard and clean-up cover it. */
export const stackRoot = (runDir: string) => path.join(runDir, "stack");
export const stackConfigFile = (runDir: string) => path.join(stackRoot(runDir), "greenlight.yaml");
export const stackDataDir = (runDir: string) => path.join(stackRoot(runDir), "data");
