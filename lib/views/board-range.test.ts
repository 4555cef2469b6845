import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { parseRange } from "./metrics-window";

describe("a board's ?from=&to=", () => {
  it("is absent when neither is given, and read as whole epoch seconds otherwise", () => {
    expect(parseRange(undefined, undefined)).toBeNull();
    expect(parseRange("1795000000", "1795003600")).toEqual({ from: 1_795_000_000, to: 1_795_003_600 });
  });

  it.each([
    ["1795000000", undefined, 'to must be epoch seconds, not "".'],
    ["abc", "1795003600", 'from must be epoch seconds, not "abc".'],
    ["1795000000.5", "1795003600", 'from must be epoch seconds, not "1795000000.5".'],
    ["-5", "1795003600", 'from must be epoch seconds, not "-5".'],
    [["1", "2"], "1795003600", 'from must be epoch seconds, not "1,2".'],
    ["1795003600", "1795000000", "The range needs from before to."],
    ["1795000000", "1795000000", "The range needs from before to."],
  ])("refuses from=%s to=%s, saying what is wrong", (from, to, message) => {
    expect(() => parseRange(from, to)).toThrow(ValidationError);
    expect(() => parseRange(from, to)).toThrow(message);
  });
});
