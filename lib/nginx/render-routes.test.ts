import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { PROXY_LINES } from "./expected-proxy-lines";
import { renderLocation, renderRoutes } from "./render-routes";

const listen = { host: "127.0.0.1", port: 8080 };

describe("renderRoutes", () => {
  it("renders one service without a route exactly as the one-service setup always had it", () => {
    expect(renderRoutes([{ name: "privatetrade" }], listen).join("\n")).toBe(`    server {
        listen 127.0.0.1:8080;
        server_name _;
        location / {
            proxy_pass http://greenlight_privatetrade;
${PROXY_LINES}
        }
    }`);
  });

  it("renders a default service, a path prefix, a host and a listen port, each to its own upstream", () => {
    const text = renderRoutes(
      [
        { name: "privatetrade" },
        { name: "reports", route: { pathPrefix: "/reports/" } },
        { name: "admin-ui", route: { host: "admin.example.internal" } },
        { name: "backtest", route: { listenPort: 8081 } },
      ],
      listen,
    ).join("\n");
    expect(text).toBe(`    server {
        listen 127.0.0.1:8080 default_server;
        server_name _;
        location / {
            proxy_pass http://greenlight_privatetrade;
${PROXY_LINES}
        }
        location /reports/ {
            proxy_pass http://greenlight_reports/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Prefix /reports;
            add_header X-Greenlight-Upstream $upstream_addr always;
        }
    }

    server {
        listen 127.0.0.1:8080;
        server_name admin.example.internal;
        location / {
            proxy_pass http://greenlight_admin_ui;
${PROXY_LINES}
        }
    }

    server {
        listen 127.0.0.1:8081;
        server_name _;
        location / {
            proxy_pass http://greenlight_backtest;
${PROXY_LINES}
        }
    }`);
  });

  it("renders a location with the indent asked for (for a user's own server block)", () => {
    expect(renderLocation("reports", "/reports/", "").slice(0, 2)).toEqual([
      "location /reports/ {",
      "    proxy_pass http://greenlight_reports/;",
    ]);
  });

  it.each([
    [[{ name: "a" }, { name: "b" }], /share the path prefix \//],
    [
      [
        { name: "a", route: { host: "x.internal" } },
        { name: "b", route: { host: "x.internal" } },
      ],
      /share the host x\.internal/,
    ],
    [
      [
        { name: "a", route: { listenPort: 9000 } },
        { name: "b", route: { listenPort: 9000 } },
      ],
      /share the listen port 9000/,
    ],
    [[{ name: "a", route: { listenPort: 8080 } }], /Listen port of a/],
    [[{ name: "a", route: { pathPrefix: "/x;" } }], /Path prefix of a/],
    [[{ name: "a", route: { host: "x.internal; return 200" } }], /Host of a/],
  ])("rejects %j", (services, message) => {
    expect(() => renderRoutes(services as never, listen)).toThrow(ValidationError);
    expect(() => renderRoutes(services as never, listen)).toThrow(message);
  });
});
