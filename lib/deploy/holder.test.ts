import { spawnSync } from "node:child_process";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { bootId, holderGone, processStartTime, SELF } from "./holder";

const me = { ownerPid: process.pid, host: os.hostname(), bootId: bootId(), pidStart: processStartTime(process.pid) };

describe("is a lease holder provably dead?", () => {
  it("a live holder on this host is not", () => {
    expect(holderGone(me)).toBeNull();
    expect(SELF.pidStart).toBe(me.pidStart);
  });

  it("a pid that no longer exists is", () => {
    const gone = spawnSync("true").pid!;
    expect(holderGone({ ...me, ownerPid: gone })).toBe(`pid ${gone} on ${os.hostname()} no longer exists`);
  });

  it("a pid now owned by a process with another start time is (pid reuse)", () => {
    expect(holderGone({ ...me, pidStart: "1" })).toMatch(
      new RegExp(`^pid ${process.pid} on .+ now belongs to another process`),
    );
  });

  it("a holder recorded before the machine last booted is", () => {
    expect(holderGone({ ...me, bootId: "00000000-0000-0000-0000-000000000000" })).toMatch(/booted again since/);
  });

  it("a holder on another host, or recorded without a host, is never judged", () => {
    const gone = spawnSync("true").pid!;
    expect(holderGone({ ...me, ownerPid: gone, host: "elsewhere" })).toBeNull();
    expect(holderGone({ ...me, ownerPid: gone, host: null })).toBeNull();
  });
});
