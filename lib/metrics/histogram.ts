/**
 * Latency histogram with fixed log-spaced buckets: bucket 0 is [0, 1 ms), bucket i >= 1 is
 * [RATIO^(i-1), RATIO^i) ms up to 60 s, the last bucket is everything above. With RATIO = 1.015 an
 * interpolated percentile lies in the same bucket as the exact one, so it is within 1.5 % of it
 * (or within 1 ms below 1 ms). Histograms merge by adding counts, so percentiles over any window are
 * exact to the bucket, never averages of percentiles.
 */
export const RATIO = 1.015;
export const MAX_MS = 60_000;
const LOG_RATIO = Math.log(RATIO);
const LAST_FINITE = Math.ceil(Math.log(MAX_MS) / LOG_RATIO);
export const BUCKET_COUNT = LAST_FINITE + 2;

/** Lower bounds in ms; BOUNDS[i + 1] is the upper bound of bucket i. */
export const BOUNDS: readonly number[] = (() => {
  const b = [0];
  for (let i = 1; i <= LAST_FINITE + 1; i++) b.push(Math.pow(RATIO, i - 1));
  return b;
})();

/** Sparse counts: bucket index -> count. */
export type Histogram = Map<number, number>;

export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  let i = Math.floor(Math.log(ms) / LOG_RATIO) + 1;
  if (i > LAST_FINITE + 1) return LAST_FINITE + 1;
  // Float rounding near a boundary can land one bucket off; fix against the exact bounds.
  while (i > 1 && ms < BOUNDS[i]!) i--;
  while (i <= LAST_FINITE && ms >= BOUNDS[i + 1]!) i++;
  return i;
}

export function addSample(h: Histogram, ms: number, count = 1): void {
  const b = bucketOf(ms);
  h.set(b, (h.get(b) ?? 0) + count);
}

export function mergeInto(target: Histogram, source: Histogram): Histogram {
  for (const [b, c] of source) target.set(b, (target.get(b) ?? 0) + c);
  return target;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/**
 * The p-quantile (0 < p <= 1) by nearest rank, interpolated linearly inside its bucket;
 * null for an empty histogram.
 */
export function percentile(h: Histogram, p: number): number | null {
  const total = histogramCount(h);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  const buckets = [...h.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const b of buckets) {
    const c = h.get(b)!;
    if (seen + c >= rank) {
      const lo = BOUNDS[b]!;
      if (b > LAST_FINITE) return lo;
      const hi = BOUNDS[b + 1]!;
      return lo + (hi - lo) * ((rank - seen - 0.5) / c);
    }
    seen += c;
  }
  return null;
}

/** Compact text form: a flat JSON array of [bucket, count, bucket, count, ...] in bucket order. */
export function encodeHistogram(h: Histogram): string {
  const parts: number[] = [];
  for (const b of [...h.keys()].sort((x, y) => x - y)) parts.push(b, h.get(b)!);
  return JSON.stringify(parts);
}

export function decodeHistogram(text: string | null | undefined, into: Histogram = new Map()): Histogram {
  if (!text || text === "[]") return into;
  const parts = JSON.parse(text) as number[];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const b = parts[i]!;
    into.set(b, (into.get(b) ?? 0) + parts[i + 1]!);
  }
  return into;
}
