import type { Config, EnvValue, ServiceConfig } from "@/lib/config/schema";
import { isSecretEnv, REDACTED } from "@/lib/config/secrets";

export type Row = { label: string; value: string; secret?: boolean };
export type Section = { title: string; rows: Row[] };

/** A container env value as the settings page may show it: secrets (inline or from the environment) never appear. */
export function envRow(key: string, value: EnvValue): Row {
  if (typeof value === "string") return { label: key, value };
  if ("fromEnv" in value) return { label: key, value: `${REDACTED} (from $${value.fromEnv})`, secret: true };
  return isSecretEnv(value) ? { label: key, value: REDACTED, secret: true } : { label: key, value: value.value };
}

/** How users reach the service through nginx, in words. */
function routeText(route: ServiceConfig["route"]): string {
  if (!route) return "/ on nginx's own port";
  if ("host" in route) return `Host ${route.host}`;
  if ("pathPrefix" in route) return `path prefix ${route.pathPrefix}`;
  return `own port ${route.listenPort}`;
}

const on = (b: boolean) => (b ? "yes" : "no");
const list = (items: readonly string[]) => (items.length ? items.join(", ") : "–");

/** Greenlight-wide settings. */
export function globalSections(config: Config): Section[] {
  const n = config.nginx;
  return [
    {
      title: "nginx",
      rows: [
        { label: "Binary", value: n.binary },
        { label: "Main config", value: n.mainConfig },
        { label: "Upstream directory", value: n.upstreamDir },
        { label: "Access log", value: n.accessLog ?? "–" },
        { label: "Load balancer URL", value: n.lbUrl },
      ],
    },
    {
      title: "Docker",
      rows: [
        {
          label: "Allowed registries",
          value: config.docker.allowedRegistries.length ? list(config.docker.allowedRegistries) : "local images only",
        },
      ],
    },
    {
      title: "Registries",
      rows: config.registries.length
        ? config.registries.map((r) => ({
            label: r.host,
            value: `user ${r.username}, password ${REDACTED} (from $${r.password.fromEnv})`,
            secret: true,
          }))
        : [{ label: "Declared", value: "none: images come from this engine or public registries" }],
    },
  ];
}

/** One service's settings, secrets redacted; smoke tests and notifications are shown apart. */
export function serviceSections(s: ServiceConfig): Section[] {
  const c = s.container;
  const t = s.thresholds;
  const network =
    c.network.mode === "host"
      ? "host"
      : `bridge ${c.network.name}${c.network.containerPort ? ` (container port ${c.network.containerPort})` : ""}`;
  return [
    {
      title: "Release and slots",
      rows: [
        { label: "Image repository", value: s.image },
        { label: "Pull", value: `${s.pull} (stalls after ${s.pullStallSeconds} s)` },
        { label: "Blue port", value: String(s.slots.blue.port) },
        { label: "Green port", value: String(s.slots.green.port) },
        { label: "Route", value: routeText(s.route) },
        { label: "Auto-promote", value: on(s.promotion.autoPromote) },
        { label: "Preview expires", value: `${s.promotion.previewExpiresMinutes} min` },
        { label: "Break-glass rollback", value: on(s.rollback.breakGlass) },
      ],
    },
    {
      title: "Container",
      rows: [
        { label: "Port variable", value: c.portEnv },
        { label: "Network", value: network },
        { label: "Memory limit", value: c.memoryMb ? `${c.memoryMb} MB` : "–" },
        { label: "CPUs", value: c.cpus ? String(c.cpus) : "–" },
        { label: "Stop grace", value: `${c.stopGraceSeconds} s` },
        { label: "Command", value: c.command ? c.command.join(" ") : "image default" },
        ...c.volumes.map((v) => ({
          label: `Volume ${v.container}`,
          value: `${v.host}${v.readOnly ? " (read-only)" : ""}`,
        })),
      ],
    },
    { title: "Environment", rows: Object.entries(c.env).map(([k, v]) => envRow(k, v)) },
    {
      title: "Health",
      rows: [
        { label: "Path", value: s.health.path },
        { label: "Version field", value: s.health.versionField },
        {
          label: "Poll interval",
          value: `${s.health.firstIntervalMs} ms, backing off to ${s.health.maxIntervalMs} ms`,
        },
        { label: "Deadline", value: `${s.health.deadlineSeconds} s` },
        { label: "Verify through nginx within", value: `${s.health.verifyDeadlineSeconds} s` },
      ],
    },
    {
      title: "Rollback thresholds",
      rows: [
        { label: "Error rate", value: `${t.errorRatePercent} %` },
        { label: "P95 latency", value: `${t.p95Ms} ms` },
        { label: "Memory", value: `${t.memoryMb} MB` },
        { label: "DB errors", value: `${t.dbErrorsPerMinute} / min` },
        {
          label: "Evaluation",
          value: `every ${t.evaluateEverySeconds} s over ${t.windowSeconds} s, ${t.consecutiveBreaches} breaches in a row, at least ${t.minRequests} requests`,
        },
        { label: "Watch window", value: `${s.watch.bakeSeconds} s` },
      ],
    },
    {
      title: "Retention",
      rows: [
        { label: "Old colour kept warm", value: `${s.retention.keepOldHours} h` },
        { label: "Warm colour health check", value: `every ${s.retention.healthCheckMinutes} min` },
        { label: "Prune images after", value: `${s.retention.pruneImagesDays} days` },
      ],
    },
    {
      title: "Database and preflight",
      rows: [
        { label: "App database", value: s.database?.path ?? "none" },
        { label: "Migrations", value: s.database?.migrations ?? "–" },
        {
          label: "Row checks",
          value: s.database?.checks.length ? s.database.checks.map((k) => `${k.table} ≥ ${k.minRows}`).join(", ") : "–",
        },
        { label: "Min free disk", value: `${s.preflight.minFreeDiskMb} MB` },
        { label: "Log lines read", value: String(s.preflight.logLines) },
        { label: "Scanner", value: s.preflight.scanner ? s.preflight.scanner.join(" ") : "none" },
      ],
    },
  ];
}
