import type { Config, ServiceConfig } from "@/lib/config/schema";
import { resolveSecret, secretValues } from "@/lib/config/secrets";
import { NotFoundError } from "@/lib/errors";

export type Channel = ServiceConfig["notifications"][number];
export type Env = Record<string, string | undefined>;

export function serviceNamed(config: Config, service: string): ServiceConfig | undefined {
  return config.services.find((s) => s.name === service);
}

export function channelOf(config: Config, service: string, channel: string): Channel {
  const found = serviceNamed(config, service)?.notifications.find((c) => c.name === channel);
  if (!found) throw new NotFoundError(`Service "${service}" has no notification channel "${channel}".`);
  return found;
}

/** Where a channel posts to: Slack's webhook URL (a secret) or PagerDuty's events URL. */
export function channelUrl(channel: Channel, env: Env = process.env): string {
  return channel.type === "slack" ? resolveSecret(channel.webhookUrl, env as NodeJS.ProcessEnv) : channel.eventsUrl;
}

/** "hooks.slack.com/…": enough to recognise a channel, never the secret part. */
export function channelTarget(channel: Channel, env: Env = process.env): string {
  try {
    return `${new URL(channelUrl(channel, env)).host}/…`;
  } catch (error) {
    if (error instanceof TypeError) return "(invalid URL)";
    return `(${(error as Error).message})`;
  }
}

/**
 * Every value of a service that must never reach a record or a log: webhook URLs (plain or from the environment)
 * and their paths, routing keys, and env values marked secret.
 */
export function serviceSecrets(service: ServiceConfig | undefined, env: Env = process.env): string[] {
  if (!service) return [];
  const out = secretValues(Object.values(service.container.env), env as NodeJS.ProcessEnv);
  for (const channel of service.notifications) {
    const secret = channel.type === "slack" ? channel.webhookUrl : channel.routingKey;
    let value: string;
    try {
      value = resolveSecret(secret, env as NodeJS.ProcessEnv);
    } catch {
      continue; // unset: nothing to leak
    }
    out.push(value);
    if (channel.type === "slack") {
      try {
        const url = new URL(value);
        out.push(`${url.pathname}${url.search}`);
      } catch {
        // not a URL: the whole value is already listed
      }
    }
  }
  return [...new Set(out.filter((s) => s.length >= 4))];
}
