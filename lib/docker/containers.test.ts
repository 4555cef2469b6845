import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceSchema } from "@/lib/config/schema";
import { ConflictError } from "@/lib/errors";
import { getDocker, pingDocker } from "./client";
import { buildContainerOptions } from "./container-options";
import {
  ContainerStartError,
  containerLogs,
  findContainers,
  inspectContainer,
  removeContainer,
  runContainer,
  stopContainer,
  waitForExit,
} from "./containers";
import { buildNodeTestImage } from "./docker-test-fixture";
import { LABELS } from "./labels";
import { containerStatsOnce, cpuPercent, memoryUsageBytes } from "./stats";

const IMAGE = "gltest-c-node:1";
const SERVICE = "gltest-c-svc";
const BLUE = 42050;
const GREEN = 42051;
const run = `t${Date.now().toString(36)}`;
let dataDir: string;

const service = () =>
  serviceSchema.parse({
    name: SERVICE,
    image: "gltest-c-node",
    slots: { blue: { port: BLUE }, green: { port: GREEN } },
    container: {
      memoryMb: 64,
      cpus: 0.5,
      stopGraceSeconds: 10,
      volumes: [{ host: dataDir, container: "/data", readOnly: true }],
    },
  });

const options = (slot: "blue" | "green", deploymentId: string, env: Record<string, string> = {}) =>
  buildContainerOptions({
    service: service(),
    slot,
    image: IMAGE,
    version: "1.0.0",
    deploymentId,
    env: { APP_VERSION: "1.0.0", ...env },
  });

async function removeOurContainers() {
  for (const c of await findContainers({ service: SERVICE, all: true })) await removeContainer(c.id);
}

beforeAll(async () => {
  await pingDocker();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-c-data-"));
  fs.writeFileSync(path.join(dataDir, "hello.txt"), "hi");
  await removeOurContainers();
  await buildNodeTestImage(IMAGE);
});

afterAll(async () => {
  await removeOurContainers();
  await getDocker()
    .getImage(IMAGE)
    .remove({ force: true })
    .catch(() => undefined); // best effort: the image may be absent when the build failed
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("containers against the real engine", () => {
  let id = "";

  it("runs a labelled, locked-down container that answers on its slot port", async () => {
    const started = await runContainer(options("blue", `${run}-a`));
    id = started.id;
    expect(started.name).toBe(`greenlight-${SERVICE}-blue-${run}-a`);

    const summary = await inspectContainer(id);
    expect(summary).toMatchObject({
      id,
      name: started.name,
      state: "running",
      running: true,
      exitCode: 0,
      image: IMAGE,
      restartCount: 0,
      oomKilled: false,
      labels: {
        [LABELS.service]: SERVICE,
        [LABELS.slot]: "blue",
        [LABELS.version]: "1.0.0",
        [LABELS.deployment]: `${run}-a`,
        [LABELS.managed]: "true",
      },
    });
    expect(summary?.startedAt).toMatch(/^\d{4}-/);

    const raw = await getDocker().getContainer(id).inspect();
    expect(raw.HostConfig).toMatchObject({
      Privileged: false,
      NetworkMode: "host",
      Init: true,
      Memory: 64 * 1024 * 1024,
    });
    expect(raw.HostConfig.Binds).toEqual([`${dataDir}:/data:ro`]);
    expect(raw.Mounts.map((m) => m.Destination)).toEqual(["/data"]);

    let body: unknown;
    for (let i = 0; i < 100 && body === undefined; i++) {
      body = await fetch(`http://127.0.0.1:${BLUE}/`).then(
        (r) => r.json(),
        () => undefined,
      );
      if (body === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(body).toEqual({ version: "1.0.0", port: BLUE, host: "127.0.0.1" });
  });

  it("finds containers by label, not by name", async () => {
    expect((await findContainers({ service: SERVICE, slot: "blue", deployment: `${run}-a` })).map((c) => c.id)).toEqual(
      [id],
    );
    expect(await findContainers({ service: SERVICE, slot: "green" })).toEqual([]);
    expect(await findContainers({ service: SERVICE, deployment: "someone-else" })).toEqual([]);
  });

  it("returns demultiplexed stdout and stderr as plain text", async () => {
    const logs = await containerLogs(id, { tail: 50 });
    expect(logs).toContain(`listening on 127.0.0.1:${BLUE}\n`);
    expect(logs).toContain("warning: this line goes to stderr\n");
    expect(logs).not.toMatch(/[\u0000-\u0002]/);
  });

  it("reads stats the CPU and memory figures can be computed from", async () => {
    const stats = await containerStatsOnce(id);
    expect(cpuPercent(stats)).toBeGreaterThanOrEqual(0);
    expect(memoryUsageBytes(stats)).toBeGreaterThan(1024 * 1024);
    expect(stats.memory_stats.limit).toBe(64 * 1024 * 1024);
  });

  it("refuses a second container with the same name", async () => {
    await expect(runContainer(options("blue", `${run}-a`))).rejects.toBeInstanceOf(ConflictError);
  });

  it("stops gracefully (SIGTERM reaches the app through init), tolerates a second stop, removes", async () => {
    const t0 = performance.now();
    await stopContainer(id, 10);
    console.log(`[measure] docker stop with Init: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(await inspectContainer(id)).toMatchObject({ state: "exited", running: false, exitCode: 0 });
    expect(await containerLogs(id)).toContain("SIGTERM received, closing");
    await stopContainer(id, 10);
    await removeContainer(id);
    expect(await inspectContainer(id)).toBeNull();
    await removeContainer(id);
    await stopContainer(id, 1);
    expect(await findContainers({ service: SERVICE, all: true, deployment: `${run}-a` })).toEqual([]);
  });

  it("removes a container that could not start and says why", async () => {
    // Without the init process in front, the runtime itself fails to exec the entrypoint at start.
    const base = options("green", `${run}-b`);
    const broken = { ...base, Entrypoint: ["/does/not/exist"], HostConfig: { ...base.HostConfig, Init: false } };
    await expect(runContainer(broken)).rejects.toBeInstanceOf(ContainerStartError);
    await expect(runContainer(broken)).rejects.toThrow(/did not start: .*\/does\/not\/exist/);
    expect(await findContainers({ service: SERVICE, all: true, deployment: `${run}-b` })).toEqual([]);
  });

  it("waits for an exit and reports the exit code", async () => {
    const opts = options("green", `${run}-c`, { CRASH: "3" });
    opts.HostConfig = { ...opts.HostConfig, RestartPolicy: { Name: "no" } };
    const crashed = await runContainer(opts);
    expect(await waitForExit(crashed.id, 10_000)).toBe(3);
    expect(await inspectContainer(crashed.id)).toMatchObject({ state: "exited", exitCode: 3 });
    expect(await containerLogs(crashed.id)).toBe("crashing on purpose\n");
    await removeContainer(crashed.id);

    const running = await runContainer(options("green", `${run}-d`));
    expect(await waitForExit(running.id, 300)).toBeNull();
    await removeContainer(running.id);
  });
});
