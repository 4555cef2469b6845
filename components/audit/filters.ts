import type { AuditQuery } from "@/lib/audit/query";

export const AUDIT_PAGE_SIZE = 50;
export const OUTCOMES = ["ok", "denied", "failed"] as const;
const TEXT_FILTERS = ["actor", "action", "target"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The audit filters as they stand in the URL: text as typed, dates as YYYY-MM-DD (UTC days, both inclusive). */
export type AuditFilters = {
  actor?: string;
  action?: string;
  target?: string;
  outcome?: (typeof OUTCOMES)[number];
  from?: string;
  to?: string;
};

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function one(params: Params, key: string): string | undefined {
  const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value.slice(0, 200) : undefined;
}

function utcDay(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Reads the filters from search params, dropping anything malformed rather than failing the page. */
export function parseAuditFilters(params: Params): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of TEXT_FILTERS) {
    const value = one(params, key);
    if (value) filters[key] = value;
  }
  const outcome = one(params, "outcome");
  if (outcome && (OUTCOMES as readonly string[]).includes(outcome))
    filters.outcome = outcome as AuditFilters["outcome"];
  for (const key of ["from", "to"] as const) {
    const value = one(params, key);
    if (utcDay(value) !== undefined) filters[key] = value;
  }
  return filters;
}

export function parsePage(params: Params): number {
  const page = Number(one(params, "page") ?? 1);
  return Number.isInteger(page) && page >= 1 ? Math.min(page, 100_000) : 1;
}

/** The query for lib/audit: `to` covers its whole day. */
export function toAuditQuery(filters: AuditFilters): Omit<AuditQuery, "limit" | "offset"> {
  const from = utcDay(filters.from);
  const toDay = utcDay(filters.to);
  return {
    actor: filters.actor,
    action: filters.action,
    target: filters.target,
    outcome: filters.outcome,
    from,
    to: toDay === undefined ? undefined : toDay + DAY_MS,
  };
}

/** Search params for links (pages, export) that keep the current filters. */
export function filterSearch(filters: AuditFilters, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}
