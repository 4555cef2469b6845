import { ValidationError } from "@/lib/errors";

/** Greenlight only ever probes its own slots on this host; anything else is refused before a request. */
export function assertLoopbackUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(`Not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== "http:")
    throw new ValidationError(`Only http:// URLs on this host are probed, not ${url.protocol}//`);
  const host = url.hostname;
  const loopback = host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!loopback) throw new ValidationError(`Refusing to probe ${host}: only 127.0.0.1, localhost or [::1] are allowed`);
  if (url.username || url.password) throw new ValidationError("Probe URLs must not carry credentials");
  return url;
}
