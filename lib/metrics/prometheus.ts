import crypto from "node:crypto";
import { Gauge, Registry } from "prom-client";
import type { Db } from "@/lib/db/client";
import type { Config, Slot } from "@/lib/config/schema";
import { clientAddress } from "@/lib/auth/client-address";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { readRollups } from "./rollup-store";
import { INCIDENT_KINDS } from "@/lib/db/schema/incidents";
import { MIB, mergeAll, toSeriesPoint } from "./summarize";

/** Seconds of complete per-second rows a scrape summarises (the second in progress is left out). */
export const SCRAPE_WINDOW_SECONDS = 30;

export type PrometheusSource = {
  db: Db;
  config: Pick<Config, "services">;
  /** The colour nginx sends each service's traffic to. */
  liveSlots: () => Record<string, Slot | undefined>;
  now?: number;
};

/**
 * The exposition text of Greenlight's own registry (never prom-client's global one), built fresh on each scrape from
 * the last SCRAPE_WINDOW_SECONDS of stored metrics, so a colour that stopped reporting disappears instead of freezing.
 */
export async function renderPrometheus(src: PrometheusSource): Promise<{ contentType: string; text: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const rps = gauge("greenlight_requests_per_second", "Requests per second through nginx, per colour", [
    "service",
    "colour",
  ]);
  const byStatus = gauge(
    "greenlight_requests_by_status_per_second",
    'Requests per second through nginx by status class: "4xx", "5xx", and "below_400" for every other answer (2xx/3xx)',
    ["service", "colour", "class"],
  );
  const errorRate = gauge("greenlight_error_rate_percent", "Share of 5xx answers in percent", ["service", "colour"]);
  const p95 = gauge("greenlight_p95_latency_ms", "95th percentile of nginx request time in milliseconds", [
    "service",
    "colour",
  ]);
  const cpu = gauge("greenlight_cpu_percent", "Container CPU in percent of one core", ["service", "colour"]);
  const mem = gauge("greenlight_memory_bytes", "Container memory in bytes", ["service", "colour"]);
  const dbErrors = gauge(
    "greenlight_db_errors_per_minute",
    "Database connection errors in the container log per minute",
    ["service", "colour"],
  );
  const live = gauge("greenlight_live_colour", "1 for the colour nginx sends traffic to, else 0", [
    "service",
    "colour",
  ]);
  const deployments = gauge("greenlight_deployments_total", "Deployments recorded, by final or current status", [
    "service",
    "status",
  ]);
  const problem = gauge(
    "greenlight_service_problem",
    "1 while the service has an open incident of this kind (live colour down, a failed release serving), else 0",
    ["service", "kind"],
  );

  const now = Math.floor(src.now ?? Date.now() / 1000);
  const from = now - SCRAPE_WINDOW_SECONDS;
  const liveSlots = src.liveSlots();
  for (const service of src.config.services) {
    const rollups = readRollups(src.db, { service: service.name, from, to: now });
    for (const colour of ["blue", "green"] as const) {
      const labels = { service: service.name, colour };
      live.set(labels, liveSlots[service.name] === colour ? 1 : 0);
      const own = rollups.filter((r) => r.slot === colour);
      if (own.length === 0) continue;
      const p = toSeriesPoint(mergeAll(own), from, SCRAPE_WINDOW_SECONDS);
      rps.set(labels, p.rps);
      byStatus.set({ ...labels, class: "below_400" }, p.rpsUnder400);
      byStatus.set({ ...labels, class: "4xx" }, p.rps4xx);
      byStatus.set({ ...labels, class: "5xx" }, p.rps5xx);
      dbErrors.set(labels, p.dbErrorsPerMin);
      if (p.errorRate !== null) errorRate.set(labels, p.errorRate);
      if (p.p95Ms !== null) p95.set(labels, p.p95Ms);
      if (p.cpuPct !== null) cpu.set(labels, p.cpuPct);
      if (p.memMb !== null) mem.set(labels, Math.round(p.memMb * MIB));
    }
  }
  const counts = src.db.$client
    .prepare("SELECT service, status, count(*) AS n FROM deployments GROUP BY service, status")
    .all() as Array<{
    service: string;
    status: string;
    n: number;
  }>;
  for (const c of counts) deployments.set({ service: c.service, status: c.status }, c.n);
  const open = src.db.$client.prepare("SELECT service, kind FROM incidents WHERE resolved_at IS NULL").all() as Array<{
    service: string;
    kind: string;
  }>;
  for (const service of src.config.services)
    for (const kind of INCIDENT_KINDS)
      problem.set(
        { service: service.name, kind },
        open.some((o) => o.service === service.name && o.kind === kind) ? 1 : 0,
      );
  return { contentType: registry.contentType, text: await registry.metrics() };
}

const LOOPBACK_ADDR = /^(127\.\d+\.\d+\.\d+|::1)$/i;

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** True when any service's containers share the host's network, and so its loopback, with Greenlight. */
export function anyHostNetworking(config: Pick<Config, "services">): boolean {
  return config.services.some((s) => s.container.network.mode === "host");
}

/**
 * Who may scrape: with GREENLIGHT_METRICS_TOKEN set, only `Authorization: Bearer <token>`. Without it, nobody while
 * any service runs with host networking (every release container shares the host's loopback, so "it came from
 * loopback" proves nothing); otherwise only clients whose TCP address is loopback (never the Host header, and
 * forwarded headers only from a trusted proxy: see lib/auth/client-address.ts).
 */
export function assertScrapeAllowed(headers: Headers, token: string | undefined, hostNetworking: boolean): void {
  if (token) {
    const m = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "");
    if (!m || !sameSecret(m[1]!.trim(), token))
      throw new UnauthorizedError("The metrics endpoint needs Authorization: Bearer <GREENLIGHT_METRICS_TOKEN>.");
    return;
  }
  if (hostNetworking) {
    throw new ForbiddenError(
      "A service runs with host networking, so loopback requests may come from its containers: set GREENLIGHT_METRICS_TOKEN and scrape with Authorization: Bearer <token>.",
    );
  }
  const address = clientAddress(headers);
  if (!address || !LOOPBACK_ADDR.test(address)) {
    throw new ForbiddenError(
      "The metrics endpoint answers loopback clients only; set GREENLIGHT_METRICS_TOKEN to scrape it from elsewhere.",
    );
  }
}

/** The GET /api/metrics/prometheus handler over an explicit source, so it can be called directly. */
export async function prometheusResponse(
  req: Request,
  src: PrometheusSource,
  token: string | undefined = process.env.GREENLIGHT_METRICS_TOKEN,
): Promise<Response> {
  assertScrapeAllowed(req.headers, token, anyHostNetworking(src.config));
  const { contentType, text } = await renderPrometheus(src);
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
