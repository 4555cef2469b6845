import type { Config } from "@/lib/config/schema";
import { channelTarget, type Env } from "./channels";

export type RedactedChannel = { service: string; type: "slack" | "pagerduty"; name: string; target: string };

/** Channels for the settings view: type, name and host ("hooks.slack.com/…"), never a URL path or a key. */
export function redactedChannels(config: Config, service?: string, env: Env = process.env): RedactedChannel[] {
  return config.services
    .filter((s) => service === undefined || s.name === service)
    .flatMap((s) =>
      s.notifications.map((c) => ({ service: s.name, type: c.type, name: c.name, target: channelTarget(c, env) })),
    );
}
