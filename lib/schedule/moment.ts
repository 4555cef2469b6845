import { ValidationError } from "@/lib/errors";

/** How far ahead a deployment may be scheduled. */
export const MAX_AHEAD_DAYS = 30;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-12-04 16:00 UTC": how messages and the announcement name a moment. */
export function utcText(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Date.parse rolls 2030-02-31 over into March; a day the month lacks is a typo, not a moment. */
function realDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/**
 * The moment a deployment is scheduled for, from an ISO 8601 time with its zone (Z or ±hh:mm, so nobody's local
 * clock is guessed). Refuses, naming what is wrong, anything unparsable, in the past or too far ahead.
 */
export function parseMoment(raw: unknown, now: number): number {
  if (typeof raw !== "string" || raw.trim() === "")
    throw new ValidationError("at: give the moment to deploy as an ISO 8601 time, e.g. 2026-12-04T16:00:00Z.");
  const text = raw.trim();
  const at = ISO_WITH_ZONE.test(text) && realDate(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(at))
    throw new ValidationError(
      `at: "${text.slice(0, 60)}" is not an ISO 8601 time with a zone (Z or ±hh:mm), e.g. 2026-12-04T16:00:00Z.`,
    );
  if (at <= now) throw new ValidationError(`at: ${utcText(at)} is in the past (it is now ${utcText(now)}).`);
  if (at - now > MAX_AHEAD_DAYS * 86_400_000)
    throw new ValidationError(`at: ${utcText(at)} is more than ${MAX_AHEAD_DAYS} days ahead.`);
  return at;
}
