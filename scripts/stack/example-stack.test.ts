import { afterAll, beforeAll, expect, it } from "vitest";
import { getDocker } from "@/lib/docker/client";
import { findContainers, removeContainer } from "@/lib/docker/containers";
import { LABELS } from "@/lib/docker/labels";
import { stopNginx } from "@/lib/nginx/nginx-ctl";
import { deployAndWait, type Fixture } from "@/tests/support/engine-fixture";
import { createExampleStack, type ExampleStack } from "./example-stack";
import { openTempStack } from "./temp-stack";

const SERVICE = "gl-orphan";
const BASE_PORT = 46070;
let fx: Fixture | undefined;
let reopened: ExampleStack | undefined;

/** A container of the service as a killed run leaves it: labelled, made by a deployment no database knows. */
async function leaveStranger(deployment: string, port = BASE_PORT + 1): Promise<string> {
  const created = await getDocker().createContainer({
    Image: "privatetrade:1.9.0",
    name: `greenlight-${SERVICE}-blue-${deployment}`,
    Env: [`PORT=${port}`, "HOST=127.0.0.1"],
    Labels: {
      [LABELS.managed]: "true",
      [LABELS.service]: SERVICE,
      [LABELS.slot]: "blue",
      [LABELS.deployment]: deployment,
    },
  });
  return created.id;
}

async function deploymentsOnEngine(): Promise<string[]> {
  const all = await findContainers({ service: SERVICE, all: true });
  return all.map((c) => c.labels[LABELS.deployment] ?? "").sort();
}

beforeAll(async () => {
  for (const c of await findContainers({ service: SERVICE, all: true })) await removeContainer(c.id);
});

afterAll(async () => {
  if (reopened) await reopened.stop();
  await fx?.cleanup();
  for (const c of await findContainers({ service: SERVICE, all: true })) await removeContainer(c.id);
});

it("a test stack removes what an interrupted run left on its ports, and keeps its own and those on other ports", async () => {
  await leaveStranger("stale-run-1");
  // The same service name on other ports: another stack's (the demo beside an e2e run), not in the way.
  const other = await leaveStranger("other-stack", BASE_PORT + 5);
  fx = await openTempStack({ name: SERVICE, basePort: BASE_PORT, healthDeadlineSeconds: 15 });
  expect(await deploymentsOnEngine()).toEqual(["other-stack"]);
  // Two live stacks of one service name on one engine do not mix (containers are found by label): take it away.
  await removeContainer(other);

  // Its own first install is found on the live slot, not mistaken for a stranger.
  const first = await deployAndWait(fx, "privatetrade:1.9.0", { autoPromote: true });
  expect(first.status, first.error ?? "").toBe("succeeded");
  await leaveStranger("stale-run-2", BASE_PORT + 2);
  expect(await deploymentsOnEngine()).toEqual([first.id, "stale-run-2"].sort());

  // The same stack opened again over its own data (a restart): only the stranger goes.
  await stopNginx(fx.config.nginx);
  fx.ctx.db.$client.close();
  reopened = await createExampleStack({
    root: fx.root,
    lbPort: BASE_PORT,
    bluePort: BASE_PORT + 1,
    greenPort: BASE_PORT + 2,
    service: SERVICE,
    sweepOrphans: true,
    adjust: (svc) => {
      svc.image = "privatetrade";
    },
  });
  expect(await deploymentsOnEngine()).toEqual([first.id]);
}, 90_000);
