import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { toDockerEnv, validateEnv } from "./env";

describe("validateEnv / toDockerEnv", () => {
  it("turns entries into KEY=value strings in order", () => {
    expect(toDockerEnv({ NODE_ENV: "production", _X1: "a=b c", EMPTY: "" })).toEqual([
      "NODE_ENV=production",
      "_X1=a=b c",
      "EMPTY=",
    ]);
  });

  it.each([
    ["A=B", /name "A=B" is invalid/],
    ["A\nB", /name \(unprintable or too long\) is invalid/],
    ["1ABC", /name "1ABC" is invalid/],
    ["", /invalid/],
    ["MY-VAR", /invalid/],
    ["LD_PRELOAD", /"LD_PRELOAD" is not allowed/],
    ["LD_LIBRARY_PATH", /not allowed/],
    ["DYLD_INSERT_LIBRARIES", /not allowed/],
  ])("rejects key %j", (key, message) => {
    expect(() => validateEnv({ [key]: "v" })).toThrow(ValidationError);
    expect(() => validateEnv({ [key]: "v" })).toThrow(message);
  });

  it.each(["line1\nline2", "a\rb", "nul\0byte"])("rejects value %j naming the key but never the value", (value) => {
    let caught: unknown;
    try {
      toDockerEnv({ API_TOKEN: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const message = (caught as Error).message;
    expect(message).toContain('"API_TOKEN"');
    expect(message).not.toContain(value);
    expect(message).not.toContain("line1");
  });
});
