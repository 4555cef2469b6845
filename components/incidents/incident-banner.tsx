"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { BannerIncident } from "@/lib/incidents/banner";
import { fetchJson } from "@/components/deploy/fetch-json";

/** What an open incident says of its service, after the service's name (banner and incident panel). */
export const INCIDENT_TITLE = { live_down: "is down", failed_release: "serves a failed release" } as const;

/** A red banner on every console page while any service has an open incident; refreshed every few seconds. */
export function IncidentBanner({ initial }: { initial: BannerIncident[] }) {
  const query = useQuery({
    queryKey: ["incidents"],
    queryFn: () => fetchJson<{ incidents: BannerIncident[] }>("/api/incidents").then((r) => r.incidents),
    initialData: initial,
    refetchInterval: 5_000,
  });
  if (query.data.length === 0) return null;
  return (
    <div role="alert" data-testid="incident-banner" className="border-b border-red-800 bg-red-950 text-red-100">
      <ul className="mx-auto max-w-7xl space-y-1 px-4 py-2 text-sm">
        {query.data.map((i) => (
          <li key={i.service}>
            <Link href={`/services/${encodeURIComponent(i.service)}`} className="font-semibold underline">
              {i.service} {INCIDENT_TITLE[i.kind]}
            </Link>
            : {i.problem}
          </li>
        ))}
      </ul>
    </div>
  );
}
