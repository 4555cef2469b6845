// Run by the e2e web server command before `next start`: builds the example images, brings up the example stack
// (nginx on loopback, app database) and installs 1.9.0 on blue, so the console starts against a serving service.
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { startDeployment } from "@/lib/deploy/start-deployment";
import { getDeployment } from "@/lib/deploy/store";
import { createExampleStack } from "@/scripts/stack/example-stack";
import { STACK, stackRoot } from "./stack";
import { stopStack } from "./stop-stack";

async function main() {
  const runDir = process.env.GREENLIGHT_E2E_DATA_DIR;
  if (!runDir)
    throw new Error("GREENLIGHT_E2E_DATA_DIR is not set; start the e2e tests through e2e/playwright.config.ts");
  for (const line of await buildPrivatetradeImages()) console.log(`[e2e stack] ${line}`);
  const stack = await createExampleStack({
    root: stackRoot(runDir),
    lbPort: STACK.lbPort,
    bluePort: STACK.bluePort,
    greenPort: STACK.greenPort,
    service: STACK.service,
    sweepOrphans: true,
    adjust: (svc) => {
      svc.image = "privatetrade";
      // Long enough for the rollback triggers (3 breaches 4 s apart) to roll a bad release back; a good release
      // without traffic spends it "inconclusive" and ends with a warning, so each promote costs these 20 s.
      svc.watch = { bakeSeconds: 20 };
      svc.health.deadlineSeconds = 30;
    },
  });
  try {
    const started = await startDeployment(
      stack.ctx,
      { service: STACK.service, image: "privatetrade:1.9.0", autoPromote: true },
      "setup",
    );
    if (started.noop) throw new Error(`Installing 1.9.0 was a no-op: ${started.message}`);
    await started.pipeline;
    const done = getDeployment(stack.ctx.db, started.deploymentId);
    if (done.status !== "succeeded")
      throw new Error(`Installing 1.9.0 ended ${done.status}: ${done.error ?? "no reason"}`);
    console.log(`[e2e stack] ${STACK.service} 1.9.0 serves from blue behind http://127.0.0.1:${STACK.lbPort}`);
  } finally {
    stack.ctx.db.$client.close();
  }
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error("[e2e stack] could not bring up the example stack:", error);
    await stopStack(process.env.GREENLIGHT_E2E_DATA_DIR ?? "").catch((e: unknown) =>
      console.error("[e2e stack] clean-up failed:", e),
    );
    process.exit(1);
  },
);
