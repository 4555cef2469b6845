import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const SCRIPTS = path.resolve(__dirname);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-a-infra-"));
const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });

afterAll(() => {
  sleeper.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function clearStale(pidfileContent: string): Promise<{ rc: number; exists: boolean }> {
  const pidfile = path.join(dir, `docker-${Math.random().toString(36).slice(2)}.pid`);
  fs.writeFileSync(pidfile, pidfileContent);
  const script = `. "$1/lib.sh"; . "$1/infra-docker.sh"; DOCKER_PIDFILE="$2"; clear_stale_pidfile`;
  const rc = await run("bash", ["-c", script, "bash", SCRIPTS, pidfile]).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  return { rc, exists: fs.existsSync(pidfile) };
}

describe("scripts/infra.sh", () => {
  it("finds everything present on a prepared machine and changes nothing", async () => {
    const { stdout } = await run("bash", [path.join(SCRIPTS, "infra.sh")]);
    expect(stdout).toMatch(/infra: docker engine \S+ answers on unix:\/\/\/var\/run\/docker\.sock/);
    expect(stdout).toContain("infra: nginx present");
    expect(stdout).not.toContain("apt-get");
    expect(stdout.trim().split("\n").at(-1)).toBe("infra: ready");
  });

  it("fails clearly when DOCKER_HOST names an engine that does not answer", async () => {
    const sock = `unix://${path.join(dir, "none.sock")}`;
    const failure = await run("bash", [path.join(SCRIPTS, "infra.sh")], {
      env: { ...process.env, DOCKER_HOST: sock },
    }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`nothing answers on DOCKER_HOST=${sock}`);
  });

  it("rejects unknown arguments", async () => {
    await expect(run("bash", [path.join(SCRIPTS, "infra.sh"), "--bogus"])).rejects.toThrow(/unknown argument/);
  });

  it("removes a pid file whose process is not a running dockerd", async () => {
    expect(await clearStale(String(sleeper.pid))).toEqual({ rc: 0, exists: false });
    expect(await clearStale("")).toEqual({ rc: 0, exists: false });
  });

  it("starts dockerd detached with the host-network flags, logging to the log directory", async () => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    const argsFile = path.join(dir, "dockerd-args");
    fs.writeFileSync(path.join(bin, "dockerd"), `#!/bin/sh\necho "$@" > "${argsFile}"\necho started\n`, {
      mode: 0o755,
    });
    const logDir = path.join(dir, "log");
    const script = `. "$1/lib.sh"; . "$1/infra-packages.sh"; . "$1/infra-docker.sh"; LOG_DIR="$2"; DOCKER_PIDFILE="$2/none.pid"; start_dockerd; wait`;
    const { stdout } = await run("bash", ["-c", script, "bash", SCRIPTS, logDir], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    expect(stdout).toContain(`starting ${path.join(bin, "dockerd")} --iptables=false --bridge=none`);
    expect(fs.readFileSync(argsFile, "utf8").trim()).toBe("--iptables=false --bridge=none");
    expect(fs.readFileSync(path.join(logDir, "dockerd.log"), "utf8")).toContain("started");
  });

  it("keeps the pid file of a running dockerd", async () => {
    const { stdout } = await run("bash", ["-c", "cat /var/run/docker.pid"]);
    expect(await clearStale(stdout.trim())).toEqual({ rc: 1, exists: true });
  });
});
