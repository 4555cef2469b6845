import type { Db } from "@/lib/db/client";

/**
 * Figures over metric seconds that can no longer change, kept per database so that a board, a stream or a daily
 * report asked again computes only what is new. A second is settled once it is SETTLE_SECONDS old: the access-log
 * collector folds late lines into their second for up to two minutes. Every write of rollups says which seconds it
 * touched (`metricsWritten`: the collector's flush, the retention job rolling seconds into minutes or dropping old
 * minutes), and a cached value covering any of them is dropped, so a late or replayed line is never hidden.
 *
 * Writes from another process (a second console) are not seen; they only ever add late lines or roll seconds into
 * equal minutes, and the engine that writes serves its own pages.
 */
export const SETTLE_SECONDS = 180;
const MAX_ENTRIES = 500;

export type Cover = { from: number; to: number };
type Entry = { cover: Cover; value: unknown; expiresAt: number | null };

const caches = new WeakMap<object, Map<string, Entry>>();

function cacheOf(db: Db): Map<string, Entry> {
  let cache = caches.get(db.$client);
  if (!cache) caches.set(db.$client, (cache = new Map()));
  return cache;
}

/** Rollups for seconds in [from, to) were written, replaced or deleted: drop what was computed from them. */
export function metricsWritten(db: Db, from: number, to: number): void {
  const cache = caches.get(db.$client);
  if (!cache) return;
  for (const [key, entry] of cache) if (entry.cover.from < to && from < entry.cover.to) cache.delete(key);
}

/** The value stored under `key`, with the seconds it covers, unless a write or its time-to-live ended it. */
export function readSettled<T>(db: Db, key: string, now = Date.now()): { cover: Cover; value: T } | null {
  const cache = caches.get(db.$client);
  const entry = cache?.get(key);
  if (!entry) return null;
  if (entry.expiresAt !== null && entry.expiresAt <= now) {
    cache!.delete(key);
    return null;
  }
  return { cover: entry.cover, value: entry.value as T };
}

/** Stores a value computed from the seconds in `cover`; `ttlMs` bounds it when the seconds are not all settled. */
export function storeSettled(db: Db, key: string, cover: Cover, value: unknown, ttlMs: number | null = null): void {
  const cache = cacheOf(db);
  cache.delete(key);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { cover, value, expiresAt: ttlMs === null ? null : Date.now() + ttlMs });
}
