/** Set by Greenlight's own HTTP server hook (./peer-address) to the TCP peer; a client's copy is overwritten. */
export const PEER_HEADER = "x-greenlight-peer";

type HeaderSource = Headers | { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

const IP_LIKE = /^[0-9a-fA-F:.]{2,45}$/;

/** An address as text, without the IPv4-mapped prefix; null for anything that is not address-like. */
function normalizeAddress(value: string | null | undefined): string | null {
  const v = value?.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return v && IP_LIKE.test(v) ? v.toLowerCase() : null;
}

/** The proxies GREENLIGHT_TRUST_PROXY names (comma-separated addresses, e.g. `127.0.0.1` for nginx on this host). */
function trustedProxies(env: Record<string, string | undefined> = process.env): Set<string> {
  return new Set(
    (env.GREENLIGHT_TRUST_PROXY ?? "")
      .split(",")
      .map((s) => normalizeAddress(s))
      .filter((s): s is string => s !== null),
  );
}

/**
 * The client's address: the TCP peer, unless the peer is a proxy GREENLIGHT_TRUST_PROXY names; then the last
 * `X-Forwarded-For` entry no trusted proxy wrote (the one the nearest proxy added for its own peer), else its
 * `X-Real-IP`. Forwarded headers from anyone else are ignored: they are anyone's to write. Null when the request did
 * not come through Greenlight's server (no peer known).
 */
export function clientAddress(
  headers: HeaderSource,
  env: Record<string, string | undefined> = process.env,
): string | null {
  const peer = normalizeAddress(header(headers, PEER_HEADER));
  if (!peer) return null;
  const trusted = trustedProxies(env);
  if (!trusted.has(peer)) return peer;
  const hops = (header(headers, "x-forwarded-for") ?? "").split(",").map((h) => normalizeAddress(h));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop === null) return peer; // a malformed entry: nothing left of it can be told apart from a forgery
    if (hop !== undefined && !trusted.has(hop)) return hop;
  }
  const real = normalizeAddress(header(headers, "x-real-ip"));
  return real && !trusted.has(real) ? real : peer;
}
