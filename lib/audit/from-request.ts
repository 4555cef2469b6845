type HeaderSource = Headers | { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

const IP_LIKE = /^[0-9a-fA-F:.]{2,45}$/;

function ip(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v && IP_LIKE.test(v) ? v : null;
}

/**
 * Source address and user agent of a request, for the audit trail. `x-forwarded-for` is anyone's to write, so its
 * first hop counts only behind a proxy Greenlight is told to trust (GREENLIGHT_TRUST_PROXY=1).
 */
export function auditFromRequest(
  headers: HeaderSource,
  env: Record<string, string | undefined> = process.env,
): { sourceIp: string | null; userAgent: string | null } {
  const forwarded = env.GREENLIGHT_TRUST_PROXY === "1" ? ip(header(headers, "x-forwarded-for")?.split(",")[0]) : null;
  const sourceIp = forwarded ?? ip(header(headers, "x-real-ip"));
  const userAgent = header(headers, "user-agent")?.replace(/[\r\n\0]/g, " ").slice(0, 512) || null;
  return { sourceIp, userAgent };
}
