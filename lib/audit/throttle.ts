import { processWide } from "@/lib/process-wide";
import { recordAudit } from "./record";
import type { AuditDb } from "./rows";
import type { AuditEntry, AuditRow } from "./types";

/** Rows per source address and action a minute; beyond it, refusals are counted instead of recorded. */
export const REFUSAL_LIMIT = { perWindow: 10, windowMs: 60_000 } as const;
const MAX_KEYS = 10_000;

type Bucket = { windowStart: number; written: number; suppressed: number };

/**
 * Records a refusal nobody can be held to (an anonymous caller, a failed sign-in) without letting one source grow the
 * trail without bound: at most REFUSAL_LIMIT.perWindow rows per source address and action a minute. The rest are
 * counted, and the source's next recorded row for that action says how many were left out (`details.suppressed`).
 * Returns the row, or null when it was only counted.
 */
export function recordThrottledRefusal(db: AuditDb, entry: AuditEntry, now = Date.now()): AuditRow | null {
  const buckets = processWide("refusal-buckets", () => new Map<string, Bucket>());
  const key = `${entry.sourceIp ?? "unknown address"}\u0000${entry.action}`;
  let bucket = buckets.get(key);
  let carried = 0;
  if (!bucket || now - bucket.windowStart >= REFUSAL_LIMIT.windowMs) {
    carried = bucket?.suppressed ?? 0;
    if (!bucket && buckets.size >= MAX_KEYS) prune(buckets, now);
    bucket = { windowStart: now, written: 0, suppressed: 0 };
    buckets.set(key, bucket);
  }
  if (bucket.written >= REFUSAL_LIMIT.perWindow) {
    bucket.suppressed++;
    return null;
  }
  bucket.written++;
  return recordAudit(db, carried > 0 ? { ...entry, details: { ...entry.details, suppressed: carried } } : entry);
}

function prune(buckets: Map<string, Bucket>, now: number): void {
  for (const [key, b] of buckets)
    if (now - b.windowStart >= REFUSAL_LIMIT.windowMs && b.suppressed === 0) buckets.delete(key);
  // Still full: a flood of fresh sources; forget the oldest half rather than grow.
  if (buckets.size >= MAX_KEYS) [...buckets.keys()].slice(0, MAX_KEYS / 2).forEach((k) => buckets.delete(k));
}
