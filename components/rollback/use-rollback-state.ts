"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/deploy/fetch-json";
import type { RollbackReadiness } from "@/lib/approvals/readiness";
import type { RollbackRequest } from "@/lib/db/schema/rollback-requests";

export const rollbackKeys = (service: string) =>
  [["rollback-requests", service], ["rollback-readiness", service], ["service", service], ["services"]] as const;

/** The service's rollback requests, refreshed every 2 s so a decision shows up for everyone watching. */
export function useRollbackRequests(service: string) {
  return useQuery({
    queryKey: ["rollback-requests", service],
    queryFn: () =>
      fetchJson<{ requests: RollbackRequest[]; readAt: number }>(
        `/api/v1/services/${encodeURIComponent(service)}/rollback-requests`,
      ),
    refetchInterval: 2_000,
  });
}

/** Readiness probes the old colour's health, so it is refreshed less often than the request list. */
export function useRollbackReadiness(service: string) {
  return useQuery({
    queryKey: ["rollback-readiness", service],
    queryFn: () => fetchJson<RollbackReadiness>(`/api/v1/services/${encodeURIComponent(service)}/rollback-readiness`),
    refetchInterval: 10_000,
  });
}
