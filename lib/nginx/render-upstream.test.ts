import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { parseUpstreamHeader, renderUpstream, upstreamName } from "./render-upstream";

describe("renderUpstream", () => {
  it("renders a header and a loopback upstream", () => {
    expect(
      renderUpstream({ service: "private-trade", slot: "green", port: 3001, version: "2.0.0", deploymentId: "dep_01" }),
    ).toBe(
      [
        "# Managed by Greenlight. service=private-trade slot=green port=3001 version=2.0.0 deployment=dep_01",
        "upstream greenlight_private_trade {",
        "    server 127.0.0.1:3001 max_fails=0;",
        "    keepalive 32;",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("omits version and deployment when not given", () => {
    expect(renderUpstream({ service: "app", slot: "blue", port: 3000 })).toBe(
      "# Managed by Greenlight. service=app slot=blue port=3000\nupstream greenlight_app {\n    server 127.0.0.1:3000 max_fails=0;\n    keepalive 32;\n}\n",
    );
  });

  it.each([
    [{ service: "App", slot: "blue", port: 3000 }, /Service name/],
    [{ service: "app;evil", slot: "blue", port: 3000 }, /Service name/],
    [{ service: "app", slot: "red", port: 3000 }, /Slot/],
    [{ service: "app", slot: "blue", port: 0 }, /Port/],
    [{ service: "app", slot: "blue", port: 3000.5 }, /Port/],
    [{ service: "app", slot: "blue", port: 3000, version: "1.0\nserver evil:80;" }, /version/],
    [{ service: "app", slot: "blue", port: 3000, deploymentId: "a b" }, /deploymentId/],
  ])("rejects %j", (target, message) => {
    expect(() => renderUpstream(target as never)).toThrow(ValidationError);
    expect(() => renderUpstream(target as never)).toThrow(message);
  });

  it("names upstreams with underscores", () => {
    expect(upstreamName("a-b-c")).toBe("greenlight_a_b_c");
  });
});

describe("parseUpstreamHeader", () => {
  it("reads back what renderUpstream wrote", () => {
    const text = renderUpstream({ service: "app", slot: "green", port: 3001, version: "2.0.0", deploymentId: "d1" });
    expect(parseUpstreamHeader(text)).toEqual({
      service: "app",
      slot: "green",
      port: 3001,
      version: "2.0.0",
      deploymentId: "d1",
    });
    expect(parseUpstreamHeader(renderUpstream({ service: "app", slot: "blue", port: 3000 }))).toEqual({
      service: "app",
      slot: "blue",
      port: 3000,
    });
  });

  it("returns null without a header or when the server line disagrees with it", () => {
    expect(parseUpstreamHeader("upstream x { server 127.0.0.1:3000; }")).toBeNull();
    expect(parseUpstreamHeader("")).toBeNull();
    const edited = renderUpstream({ service: "app", slot: "blue", port: 3000 }).replace(
      "127.0.0.1:3000",
      "127.0.0.1:3001",
    );
    expect(parseUpstreamHeader(edited)).toBeNull();
    const hostname = renderUpstream({ service: "app", slot: "blue", port: 3000 }).replace(
      "127.0.0.1:3000",
      "backend:3000",
    );
    expect(parseUpstreamHeader(hostname)).toBeNull();
    expect(
      parseUpstreamHeader("# Managed by Greenlight. service=app slot=purple port=3000\nserver 127.0.0.1:3000;"),
    ).toBeNull();
  });
});
