import type { ServiceConfig } from "@/lib/config/schema";
import { redact, secretValues } from "@/lib/config/secrets";

/** Scrubs a service's secret values (env marked secret, notification keys) out of text meant for records or people. */
export function scrub(service: ServiceConfig, text: string): string {
  const values = [
    ...Object.values(service.container.env),
    ...service.notifications.map((n) => (n.type === "slack" ? n.webhookUrl : n.routingKey)),
  ];
  return redact(text, secretValues(values));
}
