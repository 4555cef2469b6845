import type { ServiceConfig } from "@/lib/config/schema";
import { redact } from "@/lib/config/secrets";
import { scrubSecretValues } from "@/lib/audit/scrub";
import { serviceSecrets } from "@/lib/notify/channels";

/** Scrubs a service's secret values (env marked secret, notification URLs and keys) out of text meant for records or people. */
export function scrub(service: ServiceConfig, text: string): string {
  return redact(text, serviceSecrets(service));
}

/** Step details hold log lines, scanner output and probe answers: the service's secrets are cut out of each value. */
export function scrubDetail(service: ServiceConfig, detail: unknown): unknown {
  return detail === undefined ? undefined : scrubSecretValues(detail, serviceSecrets(service));
}
