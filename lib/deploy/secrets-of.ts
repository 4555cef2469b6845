import type { ServiceConfig } from "@/lib/config/schema";
import { redact } from "@/lib/config/secrets";
import { serviceSecrets } from "@/lib/notify/channels";

/** Scrubs a service's secret values (env marked secret, notification URLs and keys) out of text meant for records or people. */
export function scrub(service: ServiceConfig, text: string): string {
  return redact(text, serviceSecrets(service));
}
