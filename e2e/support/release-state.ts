import { expect, type APIRequestContext } from "@playwright/test";
import { BASE_URL } from "./env";
import { STACK, STACK_LB_URL } from "./stack";

/** The version nginx serves right now, asked through the stack's load balancer like a user would. */
export async function servedVersion(): Promise<string> {
  const res = await fetch(`${STACK_LB_URL}/api/health`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: string }).version;
}

export type Readiness = {
  deploymentId: string | null;
  fromSlot: "blue" | "green" | null;
  fromVersion: string | null;
  oldColourRunning: boolean;
  ready: boolean;
  problems: string[];
};

type DeploymentBody = {
  deployment: { id: string; status: string; version: string; toSlot: string; error: string | null };
};

const FINISHED = new Set(["succeeded", "failed", "aborted", "expired", "rolled_back"]);

/** Rollback readiness of the serving deployment, as the rollback panel reads it. */
export async function readiness(request: APIRequestContext): Promise<Readiness> {
  const res = await request.get(`/api/v1/services/${STACK.service}/rollback-readiness`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Readiness;
}

/** Starts a deployment with auto-promote through the v1 API (needs a release manager's session) and waits for its end. */
export async function deployAndWait(
  request: APIRequestContext,
  image: string,
  timeoutMs = 180_000,
): Promise<DeploymentBody["deployment"]> {
  const started = await request.post(`/api/v1/services/${STACK.service}/deployments`, {
    headers: { origin: BASE_URL },
    data: { image, autoPromote: true },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { id } = (await started.json()) as { id: string };
  let last: DeploymentBody["deployment"] | undefined;
  await expect
    .poll(
      async () => {
        last = ((await (await request.get(`/api/v1/deployments/${id}`)).json()) as DeploymentBody).deployment;
        return FINISHED.has(last.status);
      },
      { timeout: timeoutMs, intervals: [1000], message: `deployment of ${image} finishes` },
    )
    .toBe(true);
  return last!;
}

/**
 * Makes sure the serving deployment has a warm previous colour to roll back to: when it has none (a first install,
 * or the old colour was stopped by an earlier rollback), deploys the other stock release with auto-promote.
 */
export async function ensureWarmPrevious(request: APIRequestContext): Promise<Readiness> {
  const now = await readiness(request);
  if (now.fromSlot && now.oldColourRunning) return now;
  const live = await servedVersion();
  const other = live === "1.9.0" ? "2.0.0" : "1.9.0";
  const done = await deployAndWait(request, `${STACK.service}:${other}`);
  expect(done.status, `deploying ${other} to make a warm previous colour: ${done.error ?? ""}`).toBe("succeeded");
  const after = await readiness(request);
  expect(after, after.problems.join("; ")).toMatchObject({ oldColourRunning: true, fromVersion: live });
  return after;
}
