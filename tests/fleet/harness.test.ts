import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrivatetradeImages } from "@/examples/privatetrade/build-images";
import { initDb } from "@/examples/privatetrade/src/init-db";
import { startFleet, type Fleet } from "@/tests/support/fleet-harness";

const IMAGE = "privatetrade:2.0.0";
const PORT = 54101;
const DB_DIR = "/tmp/gl-fleet-harness-test";

let fleet: Fleet;

beforeAll(async () => {
  await buildPrivatetradeImages();
  fleet = await startFleet(2);
  await fleet.load(IMAGE);
  fs.rmSync(DB_DIR, { recursive: true, force: true });
  fs.mkdirSync(DB_DIR, { recursive: true });
  initDb(`${DB_DIR}/backtest.db`);
}, 180_000);

afterAll(async () => {
  await fleet?.down();
  fs.rmSync(DB_DIR, { recursive: true, force: true });
});

describe("the fleet harness", () => {
  it("runs a container on each host, answering on that host's own address only", async () => {
    for (const host of fleet.hosts) {
      const docker = new Dockerode({ socketPath: host.socket });
      const container = await docker.createContainer({
        Image: IMAGE,
        name: `gl-fleet-harness-${host.index}`,
        Env: [`HOST=${host.address}`, `PORT=${PORT}`, "DATABASE_PATH=/app/data/backtest.db"],
        HostConfig: { NetworkMode: "host", Init: true, Binds: [`${DB_DIR}:/app/data`] },
      });
      await container.start();
    }
    for (const host of fleet.hosts) {
      let body: { version?: string } = {};
      for (let i = 0; i < 50 && !body.version; i++) {
        body = await fetch(`http://${host.address}:${PORT}/api/health`, { signal: AbortSignal.timeout(1000) })
          .then((r) => r.json() as Promise<{ version?: string }>)
          .catch(() => ({}));
        if (!body.version) await new Promise((r) => setTimeout(r, 100));
      }
      expect(body.version).toBe("2.0.0");
    }
    // The hosts' engines are their own: the shared engine holds none of these containers.
    const shared = execFileSync("docker", ["ps", "-aq", "--filter", "name=gl-fleet-harness-"], { encoding: "utf8" });
    expect(shared.trim()).toBe("");
    // Nothing listens on loopback for them: each binds inside its namespace.
    await expect(fetch(`http://127.0.0.1:${PORT}/api/health`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  });

  it("reaches a host's engine over SSH with the harness's key", async () => {
    const host = fleet.hosts[1]!;
    const docker = new Dockerode({
      protocol: "ssh",
      host: host.address,
      port: 22,
      username: "root",
      sshOptions: { privateKey: fleet.sshKey },
    } as Dockerode.DockerOptions);
    const listed = await docker.listContainers({ filters: { name: [`gl-fleet-harness-${host.index}`] } });
    expect(listed.map((c) => c.Names[0])).toEqual([`/gl-fleet-harness-${host.index}`]);
    expect(host.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("tears down everything, and a fleet killed mid-run is swept by the next start", async () => {
    // Kill the engine the hard way, as a killed test run would leave it: containerd-shims and containers stay.
    const pid = Number(fs.readFileSync("/run/gl-fleet/1/dockerd.pid", "utf8"));
    process.kill(pid, "SIGKILL");
    fleet = await startFleet(1);
    expect(fleet.hosts.map((h) => h.address)).toEqual(["10.213.47.11"]);
    await fleet.down();
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toMatch(/gl-fleet-/);
    expect(execFileSync("ip", ["-o", "link"], { encoding: "utf8" })).not.toMatch(/glf\d/);
    expect(fs.readFileSync("/proc/mounts", "utf8")).not.toMatch(/gl-fleet/);
    expect(fs.existsSync("/run/gl-fleet")).toBe(false);
    expect(fs.existsSync("/var/lib/gl-fleet")).toBe(false);
  }, 120_000);
});
