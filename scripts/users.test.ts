import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/authenticate";
import { openDb } from "@/lib/db/client";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greenlight-users-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function users(args: string[], password?: string) {
  const env = { ...process.env, GREENLIGHT_DATA_DIR: dir, GREENLIGHT_NEW_PASSWORD: password ?? "" };
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/users.ts", ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("scripts/users.ts", () => {
  it("adds users, refuses duplicates and bad roles, changes roles, lists", async () => {
    expect(await users(["add", "rm", "--role", "release_manager"], "rm-password-1")).toMatchObject({
      code: 0,
      stdout: "Created rm (release_manager)\n",
    });
    expect((await users(["add", "rm", "--role", "viewer"], "whatever-pw")).stderr).toContain(
      'User "rm" already exists',
    );
    const bad = await users(["add", "x1", "--role", "root"], "whatever-pw");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Role must be one of");
    const argv = await users(["add", "x2", "--role", "viewer", "--password", "visible"]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain("never taken from the command line");
    expect((await users(["set-role", "rm", "oncall"])).stdout).toContain("release_manager -> oncall");
    expect((await users(["list"])).stdout).toMatch(/^rm\s+oncall\s+active$/m);
    const db = openDb(path.join(dir, "greenlight.db"));
    try {
      expect(await authenticate(db, "rm", "rm-password-1")).toMatchObject({ role: "oncall" });
    } finally {
      db.$client.close();
    }
  });
});
