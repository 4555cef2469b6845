"use client";

import { useQuery } from "@tanstack/react-query";
import type { ServiceOverview } from "@/lib/views/service-overview";
import { ErrorText } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { fetchJson } from "./fetch-json";
import { ServiceCard } from "./service-card";

export function ServicesGrid({ initial }: { initial: ServiceOverview[] }) {
  const query = useQuery({
    queryKey: ["services"],
    queryFn: () => fetchJson<{ services: ServiceOverview[] }>("/api/services").then((r) => r.services),
    initialData: initial,
    refetchInterval: 5_000,
  });
  const services = query.data;
  if (services.length === 0)
    return (
      <Card>
        <p className="text-sm text-zinc-300">
          No services are declared in greenlight.yaml yet. Add one under <code>services:</code> and restart Greenlight.
        </p>
      </Card>
    );
  return (
    <div className="space-y-3">
      {query.isError ? (
        <ErrorText>Could not refresh: {query.error.message}. Showing what was last read.</ErrorText>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {services.map((s) => (
          <ServiceCard key={s.name} service={s} />
        ))}
      </div>
    </div>
  );
}
