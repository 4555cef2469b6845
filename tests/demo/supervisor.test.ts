import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// Ports of this test's own demo, inside the range the test runner reserves for the demo (3000-3310).
const P = { console: 3260, lb: 3261, blue: 3262, green: 3263, labBlue: 3264, labGreen: 3265 };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-demo-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.status,
    () => 0,
  );

let demo: ReturnType<typeof spawn> | null = null;
let output = "";
afterAll(async () => {
  if (demo && demo.exitCode === null) {
    demo.kill("SIGINT");
    await new Promise((r) => demo!.once("exit", r));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => Promise<boolean> | boolean, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`${what} within ${ms / 1000} s; the demo said:\n${output.slice(-3000)}`);
}

describe("the demo keeps the service up when its console dies (issue 16 part 5)", () => {
  it("kill -9 of the console: nginx keeps answering, the console comes back and drives again; Ctrl-C stops all", async () => {
    demo = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/demo.ts"], {
      env: {
        ...process.env,
        DEMO_DIR: dir,
        GREENLIGHT_PORT: String(P.console),
        DEMO_LB_PORT: String(P.lb),
        DEMO_BLUE_PORT: String(P.blue),
        DEMO_GREEN_PORT: String(P.green),
        DEMO_LAB_BLUE_PORT: String(P.labBlue),
        DEMO_LAB_GREEN_PORT: String(P.labGreen),
        DEMO_TRAFFIC_RPS: "2",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    demo.stdout!.on("data", (d) => (output += String(d)));
    demo.stderr!.on("data", (d) => (output += String(d)));
    await until("the demo is up", () => output.includes("Greenlight demo is running"), 240_000);
    const health = `http://127.0.0.1:${P.lb}/api/health`;
    const ready = `http://127.0.0.1:${P.console}/api/readyz`;
    expect(await status(health)).toBe(200);
    await until("the console is ready", async () => (await status(ready)) === 200, 60_000);
    const first = Number(fs.readFileSync(path.join(dir, "console.pid"), "utf8"));

    process.kill(first, "SIGKILL");
    // The service never notices: nginx answers from the live colour the whole time the console is gone.
    const answers: number[] = [];
    for (let i = 0; i < 20; i++, await sleep(200)) answers.push(await status(health));
    expect(answers.filter((s) => s !== 200)).toEqual([]);

    await until(
      "a new console",
      () => Number(fs.readFileSync(path.join(dir, "console.pid"), "utf8")) !== first,
      10_000,
    );
    expect(output).toMatch(/demo: the console exited \(SIGKILL\); starting it again/);
    // Back, driving the engine, recovered, its collectors running.
    await until("the restarted console is ready", async () => (await status(ready)) === 200, 90_000);
    expect(await status(health)).toBe(200);

    demo.kill("SIGINT");
    await until("the demo stops", () => demo!.exitCode !== null, 60_000);
    expect(await status(health)).toBe(0);
  }, 420_000);
});
