import type { Config } from "@/lib/config/schema";
import { resolveSecret } from "@/lib/config/secrets";
import { scrubText } from "@/lib/audit/scrub";
import { channelOf, channelUrl, serviceNamed, serviceSecrets, type Channel, type Env } from "./channels";

export type DeliveryResult = { ok: true } | { ok: false; error: string; retryable: boolean };
export type DeliverOptions = { timeoutMs?: number; env?: Env; fetch?: typeof fetch };

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}

/** A failure described by host and cause only: fetch errors can carry the URL, and the URL can be the secret. */
function describeFailure(error: unknown, host: string, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError")
    return `no answer from ${host} within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  return code ? `cannot reach ${host} (${code})` : `cannot reach ${host}`;
}

function requestOf(channel: Channel, payload: unknown, env: Env): { url: string; body: unknown } {
  const url = channelUrl(channel, env);
  if (channel.type === "slack") return { url, body: payload };
  return {
    url,
    body: { routing_key: resolveSecret(channel.routingKey, env as NodeJS.ProcessEnv), ...(payload as object) },
  };
}

/** POSTs one stored payload to its channel, resolving the channel's secret now; never throws. */
export async function deliver(
  config: Config,
  target: { service: string; channel: string; payload: unknown },
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  const { timeoutMs = 5_000, env = process.env, fetch: fetchImpl = fetch } = options;
  const secrets = serviceSecrets(serviceNamed(config, target.service), env);
  const fail = (error: string, retryable: boolean): DeliveryResult => ({
    ok: false,
    error: scrubText(error, secrets).slice(0, 500),
    retryable,
  });
  let channel: Channel;
  let request: { url: string; body: unknown };
  try {
    channel = channelOf(config, target.service, target.channel);
    request = requestOf(channel, target.payload, env);
  } catch (error) {
    return fail((error as Error).message, false);
  }
  const host = hostOf(request.url);
  try {
    const res = await fetchImpl(request.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request.body),
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text().catch(() => "");
    if (res.ok) return { ok: true };
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return fail(
      `HTTP ${res.status} from ${host}${text ? `: ${text.replace(/\s+/g, " ").slice(0, 200)}` : ""}`,
      retryable,
    );
  } catch (error) {
    return fail(describeFailure(error, host, timeoutMs), true);
  }
}
