// The session redirect of proxy.ts never touches the health probes: load balancers and supervisors have no cookie.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";

const matched = (pathname: string) => config.matcher.some((m) => new RegExp(`^${m}$`).test(pathname));

describe("health probes pass the proxy without a session", () => {
  it.each(["/api/healthz", "/api/readyz"])("%s is let through, never redirected to /login", (pathname) => {
    const reply = proxy(new NextRequest(`http://127.0.0.1:3100${pathname}`));
    expect(reply.headers.get("location")).toBeNull();
    expect(reply.headers.get("x-middleware-next")).toBe("1");
    expect(matched(pathname)).toBe(false);
  });

  it("a console page without a session still goes to /login", () => {
    const reply = proxy(new NextRequest("http://127.0.0.1:3100/settings"));
    const location = new URL(reply.headers.get("location") ?? "", "http://unset");
    expect(`${location.pathname}${location.search}`).toBe("/login?next=%2Fsettings");
    expect(matched("/settings")).toBe(true);
  });
});
