import path from "node:path";
import { ValidationError } from "@/lib/errors";
import { upstreamName } from "./render-upstream";

export type MainConfigInput = {
  /** Directory for the pid file and nginx's temp directories, so nginx never needs /var/lib/nginx. */
  prefix: string;
  listen: { host: "127.0.0.1"; port: number };
  upstreamDir: string;
  accessLog: string;
  errorLog: string;
  services: Array<{ name: string; pathPrefix?: string }>;
  workerProcesses?: number;
};

/** One JSON object per request; the metrics collector reads status, timing and which slot answered. */
export const ACCESS_LOG_FORMAT =
  '{"time":"$time_iso8601","ts":$msec,"status":$status,"request_time":$request_time,"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status","method":"$request_method","uri":"$uri","bytes":$body_bytes_sent}';

// Paths go into the config unquoted: refuse anything nginx would read as syntax.
const SAFE_PATH = /^\/[A-Za-z0-9._/+@-]*$/;
const SAFE_PREFIX = /^\/[A-Za-z0-9._~/-]*$/;

function safePath(what: string, p: string): string {
  if (!SAFE_PATH.test(p)) throw new ValidationError(`${what} must be an absolute path of letters, digits and ._/+@- only`);
  return path.posix.normalize(p).replace(/(.)\/+$/, "$1");
}

/** nginx's main config path for the pid file, as written by renderMainConfig. */
export function pidFileFor(prefix: string): string {
  return path.posix.join(safePath("nginx prefix", prefix), "nginx.pid");
}

function location(service: string, pathPrefix: string): string[] {
  return [
    `        location ${pathPrefix} {`,
    `            proxy_pass http://${upstreamName(service)};`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Connection "";`,
    `            proxy_set_header Host $host;`,
    `            proxy_set_header X-Real-IP $remote_addr;`,
    `            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`,
    `            proxy_set_header X-Forwarded-Proto $scheme;`,
    `            add_header X-Greenlight-Upstream $upstream_addr always;`,
    `        }`,
  ];
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
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new ValidationError("workerProcesses must be 1-64");

  const locations: string[] = [];
  const seen = new Set<string>();
  for (const service of input.services) {
    const pathPrefix = service.pathPrefix ?? "/";
    if (!SAFE_PREFIX.test(pathPrefix)) throw new ValidationError(`Path prefix of ${service.name} must start with / and use URL path characters only`);
    if (seen.has(pathPrefix)) throw new ValidationError(`Two services share the path prefix ${pathPrefix}`);
    seen.add(pathPrefix);
    locations.push(...location(service.name, pathPrefix));
  }
  if (!seen.has("/")) locations.push(`        location / {`, `            return 404;`, `        }`);

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
    `    server {`,
    `        listen 127.0.0.1:${port};`,
    `        server_name _;`,
    ...locations,
    `    }`,
    `}`,
    ``,
  ].join("\n");
}
