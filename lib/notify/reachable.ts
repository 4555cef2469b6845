import type { Config } from "@/lib/config/schema";
import { channelUrl, serviceNamed, type Channel, type Env } from "./channels";

async function probe(
  channel: Channel,
  timeoutMs: number,
  env: Env,
  fetchImpl: typeof fetch,
): Promise<{ ok: boolean; line: string }> {
  let origin: string;
  let host: string;
  try {
    const url = new URL(channelUrl(channel, env));
    origin = url.origin;
    host = url.host;
  } catch (error) {
    const why = error instanceof TypeError ? "invalid URL" : (error as Error).message;
    return { ok: false, line: `${channel.name} (${channel.type}): ${why}` };
  }
  try {
    const res = await fetchImpl(`${origin}/`, {
      method: "HEAD",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return { ok: true, line: `${channel.name} (${channel.type}): ${host} reachable` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const why =
      e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? "connection failed");
    return { ok: false, line: `${channel.name} (${channel.type}): ${host} unreachable (${why})` };
  }
}

/**
 * Preflight's look at a service's channels: any HTTP answer from the channel's host counts as reachable (only the
 * host is asked, never the secret path). Unreachable channels are a warning, never a reason to stop a deployment.
 */
export async function checkChannelsReachable(
  config: Config,
  service: string,
  options: { timeoutMs?: number; env?: Env; fetch?: typeof fetch } = {},
): Promise<{ ok: boolean; detail: string }> {
  const channels = serviceNamed(config, service)?.notifications ?? [];
  if (channels.length === 0) return { ok: true, detail: "no notification channels configured" };
  const results = await Promise.all(
    channels.map((c) => probe(c, options.timeoutMs ?? 2_000, options.env ?? process.env, options.fetch ?? fetch)),
  );
  const ok = results.every((r) => r.ok);
  const lines = results.map((r) => r.line).join("; ");
  return { ok, detail: ok ? lines : `notifications may not arrive: ${lines}` };
}
