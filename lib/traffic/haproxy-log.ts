import dgram from "node:dgram";
import type { Config } from "@/lib/config/schema";
import type { Attribute } from "@/lib/metrics/access-log-collector";
import { recordError, recordOk } from "@/lib/metrics/collector-status";
import type { MetricsRecorder } from "@/lib/metrics/recorder";
import { upstreamName } from "@/lib/nginx/render-upstream";

/**
 * The request log HAProxy sends Greenlight, one JSON object per datagram (`log 127.0.0.1:<logPort> format raw
 * local0` and, in the frontend or defaults, `log-format '<this>'`): the time with milliseconds, the status, the
 * active time in ms, the server that answered and the backend.
 */
export const HAPROXY_LOG_FORMAT = '{"ts":%Ts.%ms,"status":%ST,"ta_ms":%Ta,"server":"%si:%sp","backend":"%b"}';

export type HaproxyLogRecord = { ts: number; status: number; ms: number; server: string; backend: string };

/** One line in HAPROXY_LOG_FORMAT, or null for anything else. */
export function parseHaproxyLogLine(line: string): HaproxyLogRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const v = value as Partial<Record<"ts" | "status" | "ta_ms" | "server" | "backend", unknown>>;
  if (typeof v?.ts !== "number" || typeof v.status !== "number" || typeof v.ta_ms !== "number") return null;
  if (typeof v.server !== "string" || typeof v.backend !== "string") return null;
  return { ts: v.ts, status: v.status, ms: Math.max(0, v.ta_ms), server: v.server, backend: v.backend };
}

/**
 * Receives HAProxy's request log on a loopback UDP port into the recorder, attributed like nginx's lines: the colour
 * by the answering server's address, the service by the backend (so an answer HAProxy made itself, `-:-` or a 503
 * with no server, still counts for the service's live colour). Status goes to the "accessLog" collector.
 */
export function startHaproxyLogReceiver(opts: {
  port: number;
  config: Pick<Config, "services">;
  attribute: Attribute;
  recorder: MetricsRecorder;
}): { ready: Promise<void>; stop: () => Promise<void>; rejected: () => number } {
  const serviceOf = new Map<string, string>();
  for (const s of opts.config.services)
    if (s.traffic?.driver === "haproxy" && s.traffic.logPort === opts.port) serviceOf.set(s.traffic.backend, s.name);
  let rejected = 0;
  const socket = dgram.createSocket("udp4");
  socket.on("message", (message) => {
    let parsed = 0;
    for (const line of message.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      const rec = parseHaproxyLogLine(line.trim());
      const service = rec && serviceOf.get(rec.backend);
      if (!rec || !service) {
        rejected++;
        continue;
      }
      const { slot } = opts.attribute(rec.server, upstreamName(service));
      opts.recorder.request(service, slot, rec.ts, rec.status, rec.ms);
      parsed++;
    }
    recordOk("accessLog", parsed);
  });
  socket.on("error", (error) => recordError("accessLog", error));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(opts.port, "127.0.0.1", () => {
      socket.off("error", reject);
      resolve();
    });
  });
  ready.catch(() => undefined);
  return {
    ready,
    rejected: () => rejected,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
