import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import { assertSameOrigin, crossOriginReason } from "./same-origin";

const req = (method: string, headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3190/api/x", { method, headers: { host: "127.0.0.1:3190", ...headers } });

describe("same-origin check", () => {
  it("lets same-origin posts and safe methods through", () => {
    expect(
      crossOriginReason(req("POST", { origin: "http://127.0.0.1:3190", "sec-fetch-site": "same-origin" }), []),
    ).toBeNull();
    expect(crossOriginReason(req("GET", { origin: "https://evil.example" }), [])).toBeNull();
    expect(crossOriginReason(req("POST", {}), [])).toBeNull();
  });

  it("refuses a foreign Origin, a null Origin and cross-site fetch metadata", () => {
    expect(() => assertSameOrigin(req("POST", { origin: "https://evil.example" }), [])).toThrow(ForbiddenError);
    expect(() => assertSameOrigin(req("DELETE", { origin: "http://127.0.0.1:3191" }), [])).toThrow(/does not match/);
    expect(() => assertSameOrigin(req("POST", { origin: "null" }), [])).toThrow(ForbiddenError);
    expect(() => assertSameOrigin(req("PUT", { "sec-fetch-site": "cross-site" }), [])).toThrow(
      /Sec-Fetch-Site is cross-site/,
    );
    expect(() => assertSameOrigin(req("POST", { "sec-fetch-site": "same-site" }), [])).toThrow(ForbiddenError);
  });

  it("honours the proxy's host and the configured extra origins", () => {
    const proxied = req("POST", { origin: "https://deploy.example.com", "x-forwarded-host": "deploy.example.com" });
    expect(crossOriginReason(proxied, [])).toBeNull();
    expect(
      crossOriginReason(req("POST", { origin: "https://deploy.example.com" }), ["https://deploy.example.com"]),
    ).toBeNull();
  });

  it("does not apply to Bearer-token clients, which carry no ambient credentials", () => {
    expect(crossOriginReason(req("POST", { origin: "https://ci.example", authorization: "Bearer t" }), [])).toBeNull();
  });
});
