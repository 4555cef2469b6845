import { otherSlot, type Config, type ServiceConfig, type Slot } from "@/lib/config/schema";
import { readIfExists } from "@/lib/nginx/atomic-write";
import { waitForOldWorkers } from "@/lib/nginx/drain";
import { NginxError, testConfig } from "@/lib/nginx/nginx-ctl";
import { parseUpstreamHeader } from "@/lib/nginx/render-upstream";
import { routeProbe } from "@/lib/nginx/route-probe";
import { NginxConfigError, readLiveUpstream, switchUpstream, upstreamFile } from "@/lib/nginx/switch-upstream";
import { verifyThroughNginx } from "@/lib/nginx/verify-live";
import { TrafficRefusedError, type ApplyResult, type TrafficDriver } from "./driver";

/** Greenlight's own upstream file per service in the shared nginx: write, `nginx -t`, reload (lib/nginx). */
export function nginxDriver(nginx: Config["nginx"], service: ServiceConfig): TrafficDriver {
  /** Writes, tests and reloads the upstream file; a refusal is reported as nothing moved. */
  async function write(
    target: { slot: Slot; version: string; deploymentId: string; split?: { slot: Slot; percent: number } },
    says: string,
  ): Promise<ApplyResult> {
    const started = performance.now();
    const port = service.slots[target.slot].port;
    const split = target.split && { ...target.split, port: service.slots[target.split.slot].port };
    try {
      const result = await switchUpstream({ nginx, service: service.name, ...target, port, split });
      const ms = Math.round(performance.now() - started);
      return {
        confirmed: result.reloadConfirmed,
        summary: `nginx now sends ${service.name} ${says}; test + reload ${ms} ms${result.reloadConfirmed ? "" : "; nginx did not confirm the reload, verifying through nginx"}`,
        detail: { file: result.file, reloadConfirmed: result.reloadConfirmed },
      };
    } catch (error) {
      // nginx -t refused the file, or nginx was not running or refused the reload signal: the previous file is
      // back and nothing was reloaded, so traffic never moved.
      if (error instanceof NginxConfigError)
        throw new TrafficRefusedError(error.message, "nginx_config_invalid", error.output, { cause: error });
      if (error instanceof NginxError)
        throw new TrafficRefusedError(error.message, "reload_not_applied", error.output, { cause: error });
      throw error;
    }
  }
  const whole = (slot: Slot) => `to ${slot} (127.0.0.1:${service.slots[slot].port})`;

  return {
    kind: "nginx",
    label: "nginx",
    lbUrl: nginx.lbUrl,
    async readLive() {
      const upstream = await readLiveUpstream(nginx, service.name);
      return upstream && { slot: upstream.slot, port: upstream.port };
    },
    persistedLive() {
      const text = readIfExists(upstreamFile(nginx.upstreamDir, service.name));
      return text ? parseUpstreamHeader(text)?.slot : undefined;
    },
    checkConfig: () => testConfig(nginx),
    apply: ({ slot, version, deploymentId }) => write({ slot, version, deploymentId }, whole(slot)),
    applySplit({ to, percent, version, deploymentId }) {
      if (percent >= 100) return write({ slot: to, version, deploymentId }, whole(to));
      const from = otherSlot(to);
      if (percent <= 0) return write({ slot: from, version, deploymentId }, whole(from));
      return write(
        { slot: from, version, deploymentId, split: { slot: to, percent } },
        `${percent} % to ${to} and ${100 - percent} % to ${from} (weight=)`,
      );
    },
    async readSplit() {
      const upstream = await readLiveUpstream(nginx, service.name);
      if (!upstream) return null;
      const share = upstream.split?.percent ?? 0;
      const main = upstream.slot;
      return { [main]: 100 - share, [otherSlot(main)]: share } as Record<Slot, number>;
    },
    verify(slot: Slot, version: string, options = {}) {
      const entry = routeProbe(nginx.lbUrl, service.route);
      return verifyThroughNginx({
        lbUrl: entry.baseUrl,
        hostHeader: entry.hostHeader,
        healthPath: service.health.path,
        versionField: service.health.versionField,
        expectedVersion: version,
        expectedPort: service.slots[slot].port,
        deadlineMs: options.deadlineMs ?? service.health.verifyDeadlineSeconds * 1000,
        requiredSuccesses: options.requiredSuccesses,
      });
    },
    async drain(_slot, { timeoutMs }) {
      // nginx keeps in-flight requests on the workers of the previous generation: drained when none is left.
      const result = await waitForOldWorkers(nginx, { timeoutMs });
      return { drained: result.drained, waitedMs: result.waitedMs, remaining: result.remaining.length };
    },
    accessLog: () => (nginx.accessLog ? { format: "nginx-json", path: nginx.accessLog } : null),
    // The upstream file is what nginx loads at every reload and start: nothing to re-apply.
    async reconcile() {
      const live = (await readLiveUpstream(nginx, service.name))?.slot ?? null;
      return { state: live ? "in_sync" : "unknown", live, expected: live };
    },
  };
}
