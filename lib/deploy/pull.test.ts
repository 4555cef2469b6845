import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAndWait, engineFixture, type Fixture } from "@/tests/support/engine-fixture";
import { expectServes, stepOf, targetContainers } from "@/tests/support/scenario-helpers";
import { getDocker } from "@/lib/docker/client";
import { pushPullableRelease, removeLocalImages, testRegistry } from "@/lib/docker/registry-test-fixture";
import { listEvents, listSteps, getDeployment } from "./store";
import { promoteDeployment } from "./promote";
import { rollbackDeployment } from "./rollback";
import { retryDeployment } from "./retry";
import { abortDeployment } from "./abort";
import { startDeployment } from "./start-deployment";
import { pruneOldImages } from "./retention";
import type { Deployment } from "@/lib/db/schema";
import { LOCAL_REGISTRY_CREDENTIALS } from "@/lib/docker/local-registry";

const registry = testRegistry();
const REPO = `${registry.host}/gl-pull-test/privatetrade`;
const PASSWORD_ENV = "GL_PULL_TEST_REGISTRY_PASSWORD";
let fx: Fixture;
const pushed: Record<string, { digest: string; imageId: string }> = {};

async function runningImageId(fx: Fixture, deploymentId: string): Promise<string> {
  const [c] = await targetContainers(fx, deploymentId);
  if (!c) throw new Error(`no container for ${deploymentId}`);
  return (await getDocker().getContainer(c.id).inspect()).Image;
}

/** Every text Greenlight kept about a deployment: record, steps (summaries and details) and events. */
function everythingSaidAbout(dep: Deployment): string {
  return JSON.stringify([
    getDeployment(fx.ctx.db, dep.id),
    listSteps(fx.ctx.db, dep.id),
    listEvents(fx.ctx.db, dep.id),
  ]);
}

beforeAll(async () => {
  process.env[PASSWORD_ENV] = registry.password;
  await removeLocalImages(REPO);
  pushed["1.9.0"] = await pushPullableRelease({
    base: "privatetrade:1.9.0",
    target: `${REPO}:1.9.0`,
    ballastBytes: 2_000_000,
    registry,
  });
  pushed["2.0.0"] = await pushPullableRelease({
    base: "privatetrade:2.0.0",
    target: `${REPO}:2.0.0`,
    ballastBytes: 2_000_000,
    registry,
  });
  fx = await engineFixture(47600, "gl-pull", (svc) => {
    svc.image = REPO;
    svc.pull = "missing";
    svc.pullStallSeconds = 5;
    svc.container.stopGraceSeconds = 2;
  });
  fx.config.registries.push({ host: registry.host, username: registry.username, password: { fromEnv: PASSWORD_ENV } });
}, 240_000);
afterAll(async () => {
  await fx?.cleanup();
  await removeLocalImages(REPO);
});

describe("pulling a release from a registry that wants credentials", () => {
  it("pulls with good credentials, shows progress to 100 %, pins the pushed digest and starts the container by it", async () => {
    const dep = await deployAndWait(fx, `${REPO}:1.9.0`, { autoPromote: true });
    expect(dep.status, dep.error ?? "").toBe("succeeded");
    const pull = stepOf(fx, dep.id, "pull")!;
    expect(pull.status).toBe("passed");
    const detail = pull.detail as {
      pulled: boolean;
      progress: { percent: number; done: number; total: number; layers: unknown[] };
    };
    expect(detail.pulled).toBe(true);
    expect(detail.progress.percent).toBe(100);
    expect(detail.progress.total).toBeGreaterThanOrEqual(2_000_000);
    expect(dep.imageDigest).toBe(pushed["1.9.0"]!.digest);
    const [c] = await targetContainers(fx, dep.id);
    expect((await getDocker().getContainer(c!.id).inspect()).Config.Image).toBe(pushed["1.9.0"]!.digest);
    expect(await runningImageId(fx, dep.id)).toBe(pushed["1.9.0"]!.imageId);
    await expectServes(fx, "blue", "1.9.0");
    expect(everythingSaidAbout(dep)).not.toContain(registry.password);
  });

  it("a wrong password fails the pull with words to act on, starts nothing and leaks no secret", async () => {
    const wrong = "Wr0ngPassw0rd-for-the-test";
    process.env[PASSWORD_ENV] = wrong;
    try {
      const dep = await deployAndWait(fx, `${REPO}:2.0.0`);
      expect(dep.status).toBe("failed");
      expect(dep.error).toMatch(
        new RegExp(
          `Registry ${registry.host.replace(/\./g, "\\.")} refused the credentials of user ${registry.username} for ${REPO.replace(/\./g, "\\.")}:2\\.0\\.0 \\(unauthorized\\)`,
        ),
      );
      expect(dep.error).toContain(PASSWORD_ENV);
      // Preflight ran beside the pull and was stopped by its failure; the backup, if its turn came first, is harmless.
      const steps = listSteps(fx.ctx.db, dep.id).map((s) => `${s.phase}:${s.status}`);
      expect(steps.filter((s) => !s.startsWith("backup:"))).toEqual([
        "pull:failed",
        "preflight:skipped",
        "cleanup:passed",
      ]);
      expect(stepOf(fx, dep.id, "preflight")?.summary).toMatch(/^Stopped: pull failed\./);
      expect(await targetContainers(fx, dep.id)).toEqual([]);
      const said = everythingSaidAbout(dep);
      expect(said).not.toContain(wrong);
      expect(said).not.toContain(registry.password);
      expect(said).not.toContain(Buffer.from(`${registry.username}:${wrong}`).toString("base64"));
      await expectServes(fx, "blue", "1.9.0");
    } finally {
      process.env[PASSWORD_ENV] = registry.password;
    }
  });

  it("an unknown tag is named as such; nothing is started", async () => {
    const dep = await deployAndWait(fx, `${REPO}:9.9.9`);
    expect(dep.status).toBe("failed");
    expect(dep.error).toContain(`${REPO}:9.9.9 is not in registry ${registry.host}: no such tag or repository`);
    expect(await targetContainers(fx, dep.id)).toEqual([]);
    await expectServes(fx, "blue", "1.9.0");
  });
});

describe("preflight beside the pull", () => {
  it("a preflight failure while the image still downloads stops the pull and takes no backup", async () => {
    const ref = `${REPO}:2.0.1`;
    await pushPullableRelease({ base: "privatetrade:2.0.0", target: ref, ballastBytes: 60_000_000, registry });
    const removeTag = () =>
      getDocker()
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
    await removeTag();
    const minFree = fx.service.preflight.minFreeDiskMb;
    fx.service.preflight.minFreeDiskMb = 1_000_000_000;
    try {
      const dep = await deployAndWait(fx, ref);
      expect(dep.status).toBe("failed");
      expect(dep.error).toMatch(/^Preflight failed: Free disk: \d+ MB free, at least 1000000000 MB required/);
      expect(listSteps(fx.ctx.db, dep.id).map((s) => `${s.phase}:${s.status}`)).toEqual([
        "pull:skipped",
        "preflight:failed",
        "cleanup:passed",
      ]);
      expect(stepOf(fx, dep.id, "pull")?.summary).toBe("Stopped: preflight failed.");
      expect(dep.backupFile).toBeNull();
      expect(await targetContainers(fx, dep.id)).toEqual([]);
      await expectServes(fx, "blue", "1.9.0");
    } finally {
      fx.service.preflight.minFreeDiskMb = minFree;
      await removeTag();
    }
  }, 60_000);
});

describe("a registry that stops while a deployment pulls from it", () => {
  let own: ChildProcess | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-pull-registry-"));
  const host = "127.0.0.1:5077";
  afterAll(() => {
    own?.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails as unreachable, names the registry, starts nothing; the live colour keeps serving", async () => {
    // A registry of this test's own (same package, same user file) that it can stop without touching the shared one.
    const htpasswd = path.join(path.dirname(LOCAL_REGISTRY_CREDENTIALS), "htpasswd");
    fs.writeFileSync(
      path.join(dir, "config.yml"),
      `version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: ${dir}/data } }\nhttp: { addr: ${host} }\nauth: { htpasswd: { realm: t, path: ${htpasswd} } }\n`,
    );
    own = spawn("docker-registry", ["serve", path.join(dir, "config.yml")], { stdio: "ignore" });
    const ownRegistry = { ...registry, host, auth: { ...registry.auth, serveraddress: host } };
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://${host}/v2/`).then(
        (r) => r.status === 401,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const ref = `${host}/gl-pull-test/privatetrade:2.0.0`;
    await removeLocalImages(`${host}/gl-pull-test/privatetrade`);
    await pushPullableRelease({
      base: "privatetrade:2.0.0",
      target: ref,
      ballastBytes: 2_000_000,
      registry: ownRegistry,
    });
    fx.config.registries.push({ host, username: registry.username, password: { fromEnv: PASSWORD_ENV } });
    fx.service.image = `${host}/gl-pull-test/privatetrade`;
    try {
      const started = await startDeployment(fx.ctx, { service: fx.service.name, image: ref }, "test");
      if (started.noop) throw new Error(started.message);
      for (let i = 0; i < 500 && stepOf(fx, started.deploymentId, "pull")?.status !== "running"; i++)
        await new Promise((r) => setTimeout(r, 5));
      own.kill("SIGKILL");
      own = null;
      await started.pipeline;
      const dep = getDeployment(fx.ctx.db, started.deploymentId);
      expect(dep.status).toBe("failed");
      expect(dep.error).toMatch(
        new RegExp(`Registry ${host.replace(/\./g, "\\.")} does not answer while pulling|stalled`),
      );
      expect(await targetContainers(fx, dep.id)).toEqual([]);
      await expectServes(fx, "blue", "1.9.0");
    } finally {
      fx.service.image = REPO;
      await removeLocalImages(`${host}/gl-pull-test/privatetrade`);
    }
  }, 60_000);
});

describe("a tag re-pushed with other content after a deployment", () => {
  it("rollback, retry, redeploy by digest and retention all keep to the recorded digest", async () => {
    const dep = await deployAndWait(fx, `${REPO}:2.0.0`);
    expect(dep.status, dep.error ?? "").toBe("awaiting_promotion");
    expect(dep.imageDigest).toBe(pushed["2.0.0"]!.digest);
    await promoteDeployment(fx.ctx, dep.id, "rm");
    await waitFor(() => getDeployment(fx.ctx.db, dep.id).status === "succeeded");

    const repushed = await pushPullableRelease({
      base: "privatetrade:2.0.0",
      target: `${REPO}:2.0.0`,
      ballastBytes: 1_000_000,
      registry,
    });
    expect(repushed.digest).not.toBe(pushed["2.0.0"]!.digest);

    await rollbackDeployment(fx.ctx, { deploymentId: dep.id, reason: "test: back to 1.9.0", by: "oncall" });
    await expectServes(fx, "blue", "1.9.0");
    expect(await runningImageId(fx, (await listBlue())!)).toBe(pushed["1.9.0"]!.imageId);

    // The engine no longer has the image either: the retry must pull it again, by digest, not by the moved tag.
    await getDocker().getImage(pushed["2.0.0"]!.imageId).remove({ force: true });
    const retry = await retryDeployment(fx.ctx, dep.id, "rm");
    if (retry.noop) throw new Error(retry.message);
    await retry.pipeline;
    const again = getDeployment(fx.ctx.db, retry.deploymentId);
    expect(again.status, again.error ?? "").toBe("awaiting_promotion");
    expect(again.image).toBe(`${REPO}:2.0.0`);
    expect(again.imageDigest).toBe(pushed["2.0.0"]!.digest);
    expect((stepOf(fx, again.id, "pull")!.detail as { pulled: boolean }).pulled).toBe(true);
    expect(await runningImageId(fx, again.id)).toBe(pushed["2.0.0"]!.imageId);
    expect(await runningImageId(fx, again.id)).not.toBe(repushed.imageId);

    // A redeploy of the earlier release by its digest is that release again, tag and version taken from its record.
    await abortDeployment(fx.ctx, again.id, "rm");
    const redeploy = await deployAndWait(fx, pushed["2.0.0"]!.digest);
    expect(redeploy.status, redeploy.error ?? "").toBe("awaiting_promotion");
    expect([redeploy.image, redeploy.version, redeploy.imageDigest]).toEqual([
      `${REPO}:2.0.0`,
      "2.0.0",
      pushed["2.0.0"]!.digest,
    ]);
    expect(await runningImageId(fx, redeploy.id)).toBe(pushed["2.0.0"]!.imageId);

    // Retention with no grace period keeps what a rollback (or this deployment) may need.
    fx.service.retention.pruneImagesDays = 0;
    await pruneOldImages(fx.ctx);
    expect((await getDocker().getImage(pushed["2.0.0"]!.digest).inspect()).Id).toBe(pushed["2.0.0"]!.imageId);
    expect((await getDocker().getImage(pushed["1.9.0"]!.digest).inspect()).Id).toBe(pushed["1.9.0"]!.imageId);
  }, 180_000);
});

async function listBlue(): Promise<string | undefined> {
  const { findContainers } = await import("@/lib/docker/containers");
  const { LABELS } = await import("@/lib/docker/labels");
  const [c] = await findContainers({ service: fx.service.name, slot: "blue" });
  return c?.labels[LABELS.deployment];
}

async function waitFor(done: () => boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
