import { execFile } from "node:child_process";
import path from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log";

const SECRET = "rk-Zq81-never-in-a-log";

function captured(env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: createLogger(env, sink), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("Greenlight's logger", () => {
  it("writes JSON lines with level, time, component, deployment and service, and no secret by key or by value", () => {
    const { log, lines } = captured({ REGISTRY_PASSWORD: SECRET });
    const engine = log.child({ component: "engine" });
    engine.info(
      { deploymentId: "d1", service: "shop", password: "hunter2-typed", registry: { token: "glt_abc" } },
      `pulled shop:2.0.0 with ${SECRET}`,
    );
    engine.error({ err: new Error(`login to registry failed for ${SECRET}`) }, "pull failed");
    const [info, error] = lines();
    expect(info).toMatchObject({
      level: 30,
      component: "engine",
      deploymentId: "d1",
      service: "shop",
      password: "[redacted]",
      registry: { token: "[redacted]" },
      msg: "pulled shop:2.0.0 with [redacted]",
    });
    expect(typeof info!.time).toBe("number");
    expect(error).toMatchObject({
      level: 50,
      msg: "pull failed",
      err: { message: "login to registry failed for [redacted]" },
    });
    const all = JSON.stringify(lines());
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain("hunter2-typed");
    expect(all).not.toContain("glt_abc");
  });

  it("takes its level from GREENLIGHT_LOG_LEVEL", () => {
    const { log, lines } = captured({ GREENLIGHT_LOG_LEVEL: "warn" });
    log.info("not written");
    log.warn("written");
    expect(lines().map((l) => l.msg)).toEqual(["written"]);
  });

  it("is what a real process writes to stdout off a terminal", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      path.resolve("node_modules/.bin/tsx"),
      [path.resolve("tests/support/log-line.ts")],
      {
        // Only what the child needs: the token to hide, and a PATH to find node.
        env: {
          NODE_ENV: "production",
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          GREENLIGHT_METRICS_TOKEN: SECRET,
        },
      },
    );
    expect(stdout, stderr).not.toBe("");
    const line = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 40,
      component: "engine",
      service: "shop",
      app: "greenlight",
      msg: "token is [redacted]",
    });
    expect(stdout).not.toContain(SECRET);
  });
});
