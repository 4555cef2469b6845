import { mergeInto, type Histogram } from "./histogram";
import type { SlotOrUnknown } from "./attribute-upstream";

/** One rollup row: a service's colour over [ts, ts + span) seconds. Sums, so rows merge by adding. */
export type Rollup = {
  service: string;
  slot: SlotOrUnknown;
  ts: number;
  requests: number;
  /** Requests answered 400-499 (nginx's 499, a client that went away, included). */
  errors4xx: number;
  /** Requests answered 500 or above. Every other request (1xx-3xx) is `requests - errors4xx - errors5xx`. */
  errors5xx: number;
  latencySumMs: number;
  hist: Histogram;
  /** Docker stats samples taken in this interval. */
  samples: number;
  cpuPctSum: number;
  memBytesSum: number;
  memBytesMax: number | null;
  dbErrors: number;
};

export function emptyRollup(service: string, slot: SlotOrUnknown, ts: number): Rollup {
  return {
    service,
    slot,
    ts,
    requests: 0,
    errors4xx: 0,
    errors5xx: 0,
    latencySumMs: 0,
    hist: new Map(),
    samples: 0,
    cpuPctSum: 0,
    memBytesSum: 0,
    memBytesMax: null,
    dbErrors: 0,
  };
}

/** Adds `source`'s counts into `target` (same or wider interval); returns target. */
export function mergeRollup(target: Rollup, source: Rollup): Rollup {
  target.requests += source.requests;
  target.errors4xx += source.errors4xx;
  target.errors5xx += source.errors5xx;
  target.latencySumMs += source.latencySumMs;
  mergeInto(target.hist, source.hist);
  target.samples += source.samples;
  target.cpuPctSum += source.cpuPctSum;
  target.memBytesSum += source.memBytesSum;
  if (source.memBytesMax !== null) target.memBytesMax = Math.max(target.memBytesMax ?? 0, source.memBytesMax);
  target.dbErrors += source.dbErrors;
  return target;
}
