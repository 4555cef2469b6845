import { clientAddress } from "@/lib/auth/client-address";

type HeaderSource = Headers | { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * Source address and user agent of a request, for the audit trail. The address is the client's as
 * lib/auth/client-address.ts finds it: forwarded headers count only from a proxy GREENLIGHT_TRUST_PROXY names.
 */
export function auditFromRequest(
  headers: HeaderSource,
  env: Record<string, string | undefined> = process.env,
): { sourceIp: string | null; userAgent: string | null } {
  const userAgent =
    header(headers, "user-agent")
      ?.replace(/[\r\n\0]/g, " ")
      .slice(0, 512) || null;
  return { sourceIp: clientAddress(headers, env), userAgent };
}
