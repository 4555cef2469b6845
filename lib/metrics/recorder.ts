import { addSample } from "./histogram";
import { emptyRollup, mergeRollup, type Rollup } from "./rollup";
import type { SlotOrUnknown } from "./attribute-upstream";

/** In-memory per-second buckets filled by the collectors and drained by the flusher. */
export class MetricsRecorder {
  private buckets = new Map<string, Rollup>();

  private bucket(service: string, slot: SlotOrUnknown, ts: number): Rollup {
    const key = `${service}\u0000${slot}\u0000${ts}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = emptyRollup(service, slot, ts);
      this.buckets.set(key, b);
    }
    return b;
  }

  request(service: string, slot: SlotOrUnknown, tsSec: number, status: number, latencyMs: number): void {
    const b = this.bucket(service, slot, Math.floor(tsSec));
    b.requests++;
    if (status >= 500) b.errors5xx++;
    else if (status >= 400) b.errors4xx++;
    b.latencySumMs += latencyMs;
    addSample(b.hist, latencyMs);
  }

  resources(service: string, slot: SlotOrUnknown, tsSec: number, cpuPct: number, memBytes: number): void {
    if (!Number.isFinite(cpuPct) || !Number.isFinite(memBytes)) return;
    const b = this.bucket(service, slot, Math.floor(tsSec));
    b.samples++;
    b.cpuPctSum += cpuPct;
    b.memBytesSum += memBytes;
    b.memBytesMax = Math.max(b.memBytesMax ?? 0, memBytes);
  }

  dbErrors(service: string, slot: SlotOrUnknown, tsSec: number, count: number): void {
    if (count > 0) this.bucket(service, slot, Math.floor(tsSec)).dbErrors += count;
  }

  /** Takes every bucket filled since the last drain. */
  drain(): Rollup[] {
    const out = [...this.buckets.values()];
    this.buckets = new Map();
    return out;
  }

  /** Puts drained buckets back (a failed flush), merged with anything recorded since. */
  restore(rollups: Rollup[]): void {
    for (const r of rollups) mergeRollup(this.bucket(r.service, r.slot, r.ts), r);
  }

  get size(): number {
    return this.buckets.size;
  }
}
