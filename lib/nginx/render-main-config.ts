import path from "node:path";
import { ValidationError } from "@/lib/errors";
import { renderRoutes, type RoutedService } from "./render-routes";

export type MainConfigInput = {
  /** Directory for the pid file and nginx's temp directories, so nginx never needs /var/lib/nginx. */
  prefix: string;
  listen: { host: "127.0.0.1"; port: number };
  upstreamDir: string;
  accessLog: string;
  errorLog: string;
  services: RoutedService[];
  workerProcesses?: number;
};

/**
 * One JSON object per request; the metrics collector reads status, timing, which slot answered (`upstream_addr`)
 * and which service's upstream the request was sent to (`upstream`, nginx's `$proxy_host`: `greenlight_<service>`).
 */
export const ACCESS_LOG_FORMAT =
  '{"time":"$time_iso8601","ts":$msec,"status":$status,"request_time":$request_time,"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status","upstream":"$proxy_host","method":"$request_method","uri":"$uri","bytes":$body_bytes_sent}';

// Paths go into the config unquoted: refuse anything nginx would read as syntax.
const SAFE_PATH = /^\/[A-Za-z0-9._/+@-]*$/;

function safePath(what: string, p: string): string {
  if (!SAFE_PATH.test(p))
    throw new ValidationError(`${what} must be an absolute path of letters, digits and ._/+@- only`);
  return path.posix.normalize(p).replace(/(.)\/+$/, "$1");
}

/** nginx's main config path for the pid file, as written by renderMainConfig. */
export function pidFileFor(prefix: string): string {
  return path.posix.join(safePath("nginx prefix", prefix), "nginx.pid");
}

/** A complete nginx.conf for the nginx Greenlight runs; it includes the upstream directory, not one file. */
export function renderMainConfig(input: MainConfigInput): string {
  const prefix = safePath("nginx prefix", input.prefix);
  const upstreamDir = safePath("Upstream directory", input.upstreamDir);
  const accessLog = safePath("Access log", input.accessLog);
  const errorLog = safePath("Error log", input.errorLog);
  const { port } = input.listen;
  if (input.listen.host !== "127.0.0.1") throw new ValidationError("nginx must listen on 127.0.0.1");
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ValidationError("Listen port must be 1-65535");
  const workers = input.workerProcesses ?? 2;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new ValidationError("workerProcesses must be 1-64");

  return [
    `# Managed by Greenlight. Upstreams live in ${upstreamDir}, one file per service.`,
    `daemon on;`,
    `worker_processes ${workers};`,
    `pid ${prefix}/nginx.pid;`,
    `error_log ${errorLog} notice;`,
    `worker_shutdown_timeout 30s;`,
    ``,
    `events {`,
    `    worker_connections 1024;`,
    `}`,
    ``,
    `http {`,
    `    server_tokens off;`,
    `    client_body_temp_path ${prefix}/client_body_temp;`,
    `    proxy_temp_path ${prefix}/proxy_temp;`,
    `    fastcgi_temp_path ${prefix}/fastcgi_temp;`,
    `    uwsgi_temp_path ${prefix}/uwsgi_temp;`,
    `    scgi_temp_path ${prefix}/scgi_temp;`,
    ``,
    `    log_format greenlight_json escape=json '${ACCESS_LOG_FORMAT}';`,
    `    access_log ${accessLog} greenlight_json;`,
    ``,
    `    include ${upstreamDir}/*.conf;`,
    ``,
    ...renderRoutes(input.services, input.listen),
    `}`,
    ``,
  ].join("\n");
}
