import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { PROXY_LINES } from "./expected-proxy-lines";
import { ACCESS_LOG_FORMAT, renderMainConfig } from "./render-main-config";

const input = {
  prefix: "/tmp/gl/nginx/",
  listen: { host: "127.0.0.1" as const, port: 8080 },
  upstreamDir: "/tmp/gl/upstreams",
  accessLog: "/tmp/gl/access.log",
  errorLog: "/tmp/gl/error.log",
  services: [{ name: "private-trade" }],
};

describe("renderMainConfig", () => {
  it("renders the whole config for one service at /", () => {
    expect(renderMainConfig(input))
      .toBe(`# Managed by Greenlight. Upstreams live in /tmp/gl/upstreams, one file per service.
daemon on;
worker_processes 2;
pid /tmp/gl/nginx/nginx.pid;
error_log /tmp/gl/error.log notice;
worker_shutdown_timeout 30s;

events {
    worker_connections 1024;
}

http {
    server_tokens off;
    client_body_temp_path /tmp/gl/nginx/client_body_temp;
    proxy_temp_path /tmp/gl/nginx/proxy_temp;
    fastcgi_temp_path /tmp/gl/nginx/fastcgi_temp;
    uwsgi_temp_path /tmp/gl/nginx/uwsgi_temp;
    scgi_temp_path /tmp/gl/nginx/scgi_temp;

    log_format greenlight_json escape=json '{"time":"$time_iso8601","ts":$msec,"status":$status,"request_time":$request_time,"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status","upstream":"$proxy_host","method":"$request_method","uri":"$uri","bytes":$body_bytes_sent}';
    access_log /tmp/gl/access.log greenlight_json;

    include /tmp/gl/upstreams/*.conf;

    server {
        listen 127.0.0.1:8080;
        server_name _;
        location / {
            proxy_pass http://greenlight_private_trade;
${PROXY_LINES}
        }
    }
}
`);
  });

  it("uses the documented JSON log format", () => {
    expect(ACCESS_LOG_FORMAT).toBe(
      '{"time":"$time_iso8601","ts":$msec,"status":$status,"request_time":$request_time,"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status","upstream":"$proxy_host","method":"$request_method","uri":"$uri","bytes":$body_bytes_sent}',
    );
  });

  it("gives each service its route and answers 404 at / when no service owns it", () => {
    const text = renderMainConfig({
      ...input,
      workerProcesses: 1,
      services: [
        { name: "a", route: { pathPrefix: "/a/" } },
        { name: "b", route: { listenPort: 8081 } },
      ],
    });
    expect(text).toContain("worker_processes 1;");
    expect(text).toContain("        location /a/ {\n            proxy_pass http://greenlight_a/;");
    expect(text).toContain("        location / {\n            return 404;\n        }");
    expect(text).toContain(
      "    server {\n        listen 127.0.0.1:8081;\n        server_name _;\n        location / {\n            proxy_pass http://greenlight_b;",
    );
  });

  it.each([
    [{ prefix: "relative/dir" }, /nginx prefix/],
    [{ upstreamDir: "/tmp/x; include /etc/passwd" }, /Upstream directory/],
    [{ accessLog: "/tmp/a log" }, /Access log/],
    [{ errorLog: "/tmp/{x}" }, /Error log/],
    [{ listen: { host: "0.0.0.0", port: 80 } }, /127\.0\.0\.1/],
    [{ listen: { host: "127.0.0.1", port: 70000 } }, /Listen port/],
    [{ services: [{ name: "a", route: { pathPrefix: "/x;" } }] }, /Path prefix/],
    [{ services: [{ name: "a" }, { name: "b" }] }, /share the path prefix/],
  ])("rejects %j", (override, message) => {
    expect(() => renderMainConfig({ ...input, ...override } as never)).toThrow(ValidationError);
    expect(() => renderMainConfig({ ...input, ...override } as never)).toThrow(message);
  });
});
