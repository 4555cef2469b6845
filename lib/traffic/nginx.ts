import type { Config, ServiceConfig, Slot } from "@/lib/config/schema";
import { readIfExists } from "@/lib/nginx/atomic-write";
import { waitForOldWorkers } from "@/lib/nginx/drain";
import { NginxError, testConfig } from "@/lib/nginx/nginx-ctl";
import { parseUpstreamHeader } from "@/lib/nginx/render-upstream";
import { routeProbe } from "@/lib/nginx/route-probe";
import { NginxConfigError, readLiveUpstream, switchUpstream, upstreamFile } from "@/lib/nginx/switch-upstream";
import { verifyThroughNginx } from "@/lib/nginx/verify-live";
import { TrafficRefusedError, type TrafficDriver } from "./driver";

/** Greenlight's own upstream file per service in the shared nginx: write, `nginx -t`, reload (lib/nginx). */
export function nginxDriver(nginx: Config["nginx"], service: ServiceConfig): TrafficDriver {
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
    async apply({ slot, version, deploymentId }) {
      const started = performance.now();
      const port = service.slots[slot].port;
      try {
        const result = await switchUpstream({ nginx, service: service.name, slot, port, version, deploymentId });
        const ms = Math.round(performance.now() - started);
        return {
          confirmed: result.reloadConfirmed,
          summary: `nginx now sends ${service.name} to ${slot} (127.0.0.1:${port}); test + reload ${ms} ms${result.reloadConfirmed ? "" : "; nginx did not confirm the reload, verifying through nginx"}`,
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
