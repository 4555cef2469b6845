import { describe, expect, it } from "vitest";
import { routeProbe } from "./route-probe";

describe("routeProbe", () => {
  it.each([
    ["http://127.0.0.1:8080", undefined, { baseUrl: "http://127.0.0.1:8080" }],
    ["http://127.0.0.1:8080/", { pathPrefix: "/" }, { baseUrl: "http://127.0.0.1:8080" }],
    ["http://127.0.0.1:8080/", { pathPrefix: "/reports/" }, { baseUrl: "http://127.0.0.1:8080/reports" }],
    ["http://127.0.0.1:8080/edge/", { pathPrefix: "/a/b/" }, { baseUrl: "http://127.0.0.1:8080/edge/a/b" }],
    ["http://127.0.0.1:8080", { listenPort: 8081 }, { baseUrl: "http://127.0.0.1:8081" }],
    [
      "https://lb.internal",
      { host: "reports.internal" },
      { baseUrl: "https://lb.internal", hostHeader: "reports.internal" },
    ],
  ] as const)("%s with %j", (lbUrl, route, expected) => {
    expect(routeProbe(lbUrl, route)).toEqual(expected);
  });
});
