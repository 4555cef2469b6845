import { listSteps } from "@/lib/deploy/store";
import type { Db } from "@/lib/db/client";

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a sample. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : "-");

/** Left-aligned first column, right-aligned others. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

/** Each step's duration in one deployment, from deployment_steps (repeated phases are summed). */
export function phaseDurations(db: Db, deploymentId: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of listSteps(db, deploymentId))
    out.set(s.phase, (out.get(s.phase) ?? 0) + ((s.endedAt ?? s.startedAt) - s.startedAt));
  return out;
}

/** Per-phase medians over several deployments, in the order phases first appear. */
export function phaseMedians(runs: Map<string, number>[]): Array<[string, number]> {
  const order: string[] = [];
  for (const r of runs) for (const k of r.keys()) if (!order.includes(k)) order.push(k);
  return order.map((k) => [k, median(runs.map((r) => r.get(k) ?? 0))]);
}
