import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { parseUpstreamHeader, renderUpstream } from "./render-upstream";

describe("renderUpstream with a weighted split", () => {
  const target = {
    service: "app",
    slot: "blue" as const,
    port: 3000,
    version: "2.0.0",
    split: { slot: "green" as const, port: 3001, percent: 10 },
  };

  it("writes both colours' servers with weight= in percent and the split in the header", () => {
    expect(renderUpstream(target)).toBe(
      [
        "# Managed by Greenlight. service=app slot=blue port=3000 version=2.0.0 split=green:3001:10",
        "upstream greenlight_app {",
        "    server 127.0.0.1:3000 weight=90 max_fails=0;",
        "    server 127.0.0.1:3001 weight=10 max_fails=0;",
        "    keepalive 32;",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("reads the split back, and refuses a file whose servers no longer match it", () => {
    const text = renderUpstream(target);
    expect(parseUpstreamHeader(text)).toEqual({
      service: "app",
      slot: "blue",
      port: 3000,
      version: "2.0.0",
      split: { slot: "green", port: 3001, percent: 10 },
    });
    expect(parseUpstreamHeader(text.replace("    server 127.0.0.1:3001 weight=10 max_fails=0;\n", ""))).toBeNull();
    expect(parseUpstreamHeader(text.replace("split=green:3001:10", "split=green:3001:100"))).toBeNull();
  });

  it.each([
    [{ slot: "blue", port: 3001, percent: 10 }, /other colour/],
    [{ slot: "green", port: 3001, percent: 0 }, /1-99/],
    [{ slot: "green", port: 3001, percent: 100 }, /1-99/],
    [{ slot: "green", port: 3000, percent: 10 }, /differ/],
  ])("rejects the split %j", (split, message) => {
    expect(() => renderUpstream({ ...target, split } as never)).toThrow(ValidationError);
    expect(() => renderUpstream({ ...target, split } as never)).toThrow(message);
  });
});
