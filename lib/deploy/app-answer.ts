import type { ServiceConfig } from "@/lib/config/schema";
import { containerLogs } from "@/lib/docker/containers";
import { scrub } from "./secrets-of";

export const BODY_EXCERPT_BYTES = 2048;
export const LOG_LINES = 20;

/** What the app said when a check failed, kept with the step: status, the start of its body, its last log lines. */
export type AppAnswer = { status: number | null; body: string; bodyTruncated: boolean; logs?: string };

/** Scrubbed before it is cut: a secret that straddles the cut must not leave its first half behind. */
export function bodyExcerpt(
  service: ServiceConfig,
  text: string | undefined,
): { body: string; bodyTruncated: boolean } {
  const clean = Buffer.from(scrub(service, text ?? ""), "utf8");
  if (clean.length <= BODY_EXCERPT_BYTES) return { body: clean.toString("utf8"), bodyTruncated: false };
  // Cut on a character boundary: a split multi-byte character would become a replacement mark.
  let end = BODY_EXCERPT_BYTES;
  while (end > 0 && (clean[end]! & 0xc0) === 0x80) end--;
  return { body: clean.subarray(0, end).toString("utf8"), bodyTruncated: true };
}

/** The container's last lines, scrubbed; a container already gone says so instead of failing the record. */
export async function lastLogLines(
  service: ServiceConfig,
  containerId: string | null | undefined,
  lines = LOG_LINES,
): Promise<string | undefined> {
  if (!containerId) return undefined;
  const text = await containerLogs(containerId, { tail: lines }).catch(
    () => "(the container's logs could not be read)",
  );
  return scrub(service, text).slice(-8000);
}

export async function appAnswer(
  service: ServiceConfig,
  answer: { status?: number; text?: string },
  containerId?: string | null,
): Promise<AppAnswer> {
  const logs = await lastLogLines(service, containerId);
  return { status: answer.status ?? null, ...bodyExcerpt(service, answer.text), ...(logs !== undefined && { logs }) };
}

/** Smoke results as kept with a step: a failed one carries what the app answered, scrubbed and cut, never raw. */
export function keptSmokeResults<R extends { text?: string; status?: number }>(service: ServiceConfig, results: R[]) {
  return results.map(({ text, ...r }) =>
    text === undefined ? r : { ...r, answer: { status: r.status ?? null, ...bodyExcerpt(service, text) } },
  );
}
