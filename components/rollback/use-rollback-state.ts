"use client";

import { useQuery } from "@tanstack/react-query";
import type { RollbackReadiness } from "@/lib/approvals/readiness";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";

async function getV1<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `The server answered ${res.status}`);
  if (body === null) throw new Error("The server sent an empty answer");
  return body;
}

export const rollbackKeys = (service: string) =>
  [["rollback-requests", service], ["rollback-readiness", service], ["service", service], ["services"]] as const;

/** The service's rollback requests, refreshed every 2 s so a decision shows up for everyone watching. */
export function useRollbackRequests(service: string) {
  return useQuery({
    queryKey: ["rollback-requests", service],
    queryFn: () =>
      getV1<{ requests: RollbackRequest[]; readAt: number }>(
        `/api/v1/services/${encodeURIComponent(service)}/rollback-requests`,
      ),
    refetchInterval: 2_000,
  });
}

/** Readiness probes the old colour's health, so it is refreshed less often than the request list. */
export function useRollbackReadiness(service: string) {
  return useQuery({
    queryKey: ["rollback-readiness", service],
    queryFn: () => getV1<RollbackReadiness>(`/api/v1/services/${encodeURIComponent(service)}/rollback-readiness`),
    refetchInterval: 10_000,
  });
}
