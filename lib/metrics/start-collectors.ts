import type Dockerode from "dockerode";
import type { Db } from "@/lib/db/client";
import type { Config } from "@/lib/config/schema";
import { getDocker } from "@/lib/docker/client";
import { buildAttribution, type LiveSlots } from "./attribute-upstream";
import { startAccessLogCollector } from "./access-log-collector";
import { listManagedContainers, sampleDockerStats, type ManagedContainer } from "./docker-stats-collector";
import { DbErrorScanner } from "./db-error-scanner";
import { MetricsRecorder } from "./recorder";
import { flushMetrics } from "./flush-metrics";
import { compactMetrics } from "./compact-metrics";
import { markCollectorsRunning, recordError, recordOk } from "./collector-status";
import { trafficDriver } from "@/lib/traffic";
import { startHaproxyLogReceiver } from "@/lib/traffic/haproxy-log";

export type CollectorsOptions = {
  db: Db;
  config: Config;
  getLiveSlots: LiveSlots;
  docker?: Dockerode;
  /** Where the access log is read from on start; "end" (default) skips history already counted. */
  accessLogFrom?: "start" | "end";
  intervals?: { flushMs?: number; dockerMs?: number; compactMs?: number; tailMs?: number };
};

export type Collectors = {
  recorder: MetricsRecorder;
  stop: () => Promise<void>;
  flush: () => void;
  sampleDocker: () => Promise<void>;
};

/**
 * Starts every metrics collector: the nginx access log, HAProxy's request log (UDP), Docker stats and the DB-error log scan of
 * each managed container, the per-second flush and the hourly-ish compaction. Never throws into the
 * caller: failures are counted in collectorStatus() and retried on the next tick.
 */
export function startCollectors(opts: CollectorsOptions): Collectors {
  const recorder = new MetricsRecorder();
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    timers.push(t);
  };

  const accessLog = opts.config.nginx.accessLog
    ? startAccessLogCollector({
        file: opts.config.nginx.accessLog,
        attribute: buildAttribution(opts.config, opts.getLiveSlots),
        recorder,
        from: opts.accessLogFrom,
        pollMs: opts.intervals?.tailMs,
      })
    : null;

  // Services behind HAProxy: its request log arrives over loopback UDP, one receiver per port.
  const haproxyPorts = new Set(
    opts.config.services.flatMap((s) => {
      const source = trafficDriver(opts.config, s).accessLog();
      return source?.format === "haproxy-udp" ? [source.port] : [];
    }),
  );
  const haproxyLogs = [...haproxyPorts].map((port) => {
    const receiver = startHaproxyLogReceiver({
      port,
      config: opts.config,
      attribute: buildAttribution(opts.config, opts.getLiveSlots),
      recorder,
    });
    receiver.ready.catch((error: unknown) => recordError("accessLog", error));
    return receiver;
  });

  const flush = () => {
    try {
      flushMetrics(opts.db, recorder);
      recordOk("store");
    } catch (error) {
      recordError("store", error);
    }
  };
  every(opts.intervals?.flushMs ?? 1000, flush);
  every(opts.intervals?.compactMs ?? 60_000, () => {
    try {
      compactMetrics(opts.db);
    } catch (error) {
      recordError("store", error);
    }
  });

  let docker: Dockerode | null = opts.docker ?? null;
  const patterns = new Map(opts.config.services.map((s) => [s.name, s.thresholds.dbErrorPattern]));
  const compiled = new Map<string, RegExp | null>();
  const patternFor = (service: string) => {
    if (!compiled.has(service)) {
      const source = patterns.get(service);
      try {
        compiled.set(service, source ? new RegExp(source) : null);
      } catch (error) {
        recordError("dbErrors", error);
        compiled.set(service, null);
      }
    }
    return compiled.get(service) ?? null;
  };
  let scanner: DbErrorScanner | null = null;
  let listing: Promise<ManagedContainer[]> | null = null;
  // One stats call in flight per container at most, and each on its own: a container that answers slowly never
  // holds back another's sample, and one started since the last tick is sampled at the next (a watch judges its
  // memory from its first seconds).
  const inFlight = new Map<string, Promise<number>>();
  const sampling = new Set<Promise<void>>();
  const sampleOne = (c: ManagedContainer): Promise<number> => {
    const pending = inFlight.get(c.id);
    if (pending) return pending;
    const call = sampleDockerStats(docker!, [c], recorder).finally(() => inFlight.delete(c.id));
    inFlight.set(c.id, call);
    return call;
  };
  const listAndReconcile = async (): Promise<ManagedContainer[]> => {
    docker ??= getDocker();
    scanner ??= new DbErrorScanner(docker, recorder, patternFor, (e) => recordError("dbErrors", e));
    const containers = await listManagedContainers(docker);
    try {
      await scanner.reconcile(containers);
      recordOk("dbErrors", 0);
    } catch (error) {
      recordError("dbErrors", error);
    }
    return containers;
  };
  const sampleDocker = (): Promise<void> => {
    // An engine that stops answering must not pile up ticks: a few waiting is enough to pick up new containers.
    if (sampling.size >= 3) return Promise.all(sampling).then(() => undefined);
    const tick = (async () => {
      try {
        const containers = await (listing ??= listAndReconcile().finally(() => (listing = null)));
        const sampled = await Promise.all(containers.map(sampleOne));
        recordOk(
          "dockerStats",
          sampled.reduce((a, b) => a + b, 0),
        );
      } catch (error) {
        recordError("dockerStats", error);
      }
    })();
    sampling.add(tick);
    return tick.finally(() => sampling.delete(tick));
  };
  every(opts.intervals?.dockerMs ?? 2000, () => void sampleDocker());
  void sampleDocker();
  markCollectorsRunning(true);
  let running = true;

  return {
    recorder,
    flush,
    sampleDocker,
    async stop() {
      for (const t of timers) clearInterval(t);
      if (running) markCollectorsRunning((running = false));
      await Promise.all(sampling);
      scanner?.stop();
      await accessLog?.stop();
      for (const receiver of haproxyLogs) await receiver.stop();
      flush();
    },
  };
}
