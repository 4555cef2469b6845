// SIGHUP to a running Greenlight process (tests/support/console-process.ts: start() with the engine, collectors and
// outbox, over a real stack): greenlight.yaml is read again; the process keeps running either way; a broken file
// keeps the running config and its log line and audit row name the field.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { queryAudit } from "@/lib/audit/query";
import { nextBuildWithV1 } from "@/tests/support/cli-target";
import { startConsole, type ConsoleProcess } from "@/tests/support/console-runner";
import { engineFixture, type Fixture } from "@/tests/support/engine-fixture";

const BASE = 47790;
let fx: Fixture;
let consoleProcess: ConsoleProcess;
let original = "";

async function reloadRow(afterId: number) {
  for (let i = 0; i < 100; i++) {
    const row = queryAudit(fx.ctx.db, { action: "config.reload", limit: 1 }).rows[0];
    if (row && row.id > afterId) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no config.reload audit row after SIGHUP; the console said: ${consoleProcess.output()}`);
}

const lastId = () => queryAudit(fx.ctx.db, { limit: 1 }).rows[0]?.id ?? 0;

/** The console's JSON log lines (pino) that mention a config reload. */
const reloadLines = () =>
  consoleProcess
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{") && l.includes('"component":"config"'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; problems?: string[]; changes?: string[] });

beforeAll(async () => {
  fx = await engineFixture(BASE, "gl-sighup");
  original = fs.readFileSync(fx.configFile, "utf8");
  consoleProcess = startConsole(fx, BASE + 5);
  await consoleProcess.ready();
}, 120_000);
afterAll(async () => {
  await consoleProcess?.kill();
  if (original) fs.writeFileSync(fx.configFile, original);
  await fx?.cleanup();
});

describe("SIGHUP reloads greenlight.yaml in a running Greenlight", () => {
  it("a valid change is applied and audited, and the process keeps running", async () => {
    // A threshold changes, and a second service appears (a copy of the first on ports of its own).
    const doc = parseDocument(original);
    doc.setIn(["services", 0, "thresholds", "errorRatePercent"], 7);
    const copy = (parseDocument(original).getIn(["services", 0]) as { toJSON(): Record<string, unknown> }).toJSON();
    (doc.get("services") as { add(node: unknown): void }).add(
      doc.createNode({
        ...copy,
        name: "gl-sighup-added",
        slots: { blue: { port: BASE + 7 }, green: { port: BASE + 8 } },
        route: { pathPrefix: "/added/" },
      }),
    );
    fs.writeFileSync(fx.configFile, doc.toString());
    const before = lastId();
    process.kill(consoleProcess.pid, "SIGHUP");
    const row = await reloadRow(before);
    expect(row.outcome).toBe("ok");
    expect(row.actor).toBe("greenlight");
    expect(row.reason).toBe(`Reloaded: service gl-sighup-added added; service ${fx.service.name}: thresholds changed`);
    expect(JSON.parse(row.details)).toMatchObject({ via: "SIGHUP" });
    expect(consoleProcess.child.exitCode).toBeNull();
    const res = await fetch(`${consoleProcess.url}/api/v1/deployments/none`).catch(() => null);
    expect(res, "the console still answers").not.toBeNull();
    const line = reloadLines().at(-1)!;
    expect(line.level).toBe(30);
    expect(line.changes).toEqual(["service gl-sighup-added added", `service ${fx.service.name}: thresholds changed`]);
  }, 30_000);

  it("a broken file keeps the running config; the log line and the audit row name the field", async () => {
    const doc = parseDocument(original);
    doc.setIn(["services", 0, "slots", "green", "port"], "not-a-port");
    fs.writeFileSync(fx.configFile, doc.toString());
    const before = lastId();
    process.kill(consoleProcess.pid, "SIGHUP");
    const row = await reloadRow(before);
    expect(row.outcome).toBe("failed");
    expect(row.reason).toMatch(/^The running config stays: services\[0\]\.slots\.green\.port: /);
    expect(consoleProcess.child.exitCode).toBeNull();
    const line = reloadLines().at(-1)!;
    expect(line.level).toBe(50);
    expect(line.problems?.[0]).toMatch(/^services\[0\]\.slots\.green\.port: /);
  }, 30_000);

  it.runIf(nextBuildWithV1())(
    "next start, the process systemd's ExecReload signals, survives SIGHUP and reloads",
    async () => {
      fs.writeFileSync(fx.configFile, original);
      const url = `http://127.0.0.1:${BASE + 6}`;
      const next = spawn(
        process.execPath,
        [path.join(process.cwd(), "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", `${BASE + 6}`],
        {
          env: {
            ...process.env,
            NODE_ENV: "production",
            GREENLIGHT_DATA_DIR: fx.dataDir,
            GREENLIGHT_CONFIG: fx.configFile,
            GREENLIGHT_ENGINE: "off",
          },
          stdio: "ignore",
        },
      );
      try {
        const healthy = async () =>
          fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.ok,
            () => false,
          );
        for (let i = 0; i < 150 && !(await healthy()); i++) await new Promise((r) => setTimeout(r, 200));
        expect(await healthy()).toBe(true);
        const before = lastId();
        next.kill("SIGHUP");
        const row = await reloadRow(before);
        expect(row.outcome).toBe("ok");
        expect(JSON.parse(row.details)).toMatchObject({ via: "SIGHUP" });
        expect(next.exitCode).toBeNull();
        expect(await healthy()).toBe(true);
      } finally {
        next.kill("SIGKILL");
      }
    },
    60_000,
  );
});
