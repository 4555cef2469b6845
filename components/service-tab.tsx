"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { fetchJson } from "@/components/deploy/fetch-json";
import type { ServiceOverview } from "@/lib/views/service-overview";
import { TAB_ICON, tabIcon, tabState, tabTitle } from "@/lib/views/tab-state";

type Props = {
  service: string;
  /** The sub-page the tab names after the service ("metrics"). */
  page?: string;
  /** The overview the server read; without it the first poll fills the tab in. */
  initial?: ServiceOverview;
};

/**
 * Keeps the browser tab's title and icon on a service's state ("privatetrade · rolling back · Greenlight", a red
 * icon while something is wrong). It reads the same cached overview the service page polls and streams into, so on
 * that page it follows every live update; elsewhere it polls the overview itself. Renders nothing.
 */
export function ServiceTab({ service, page, initial }: Props) {
  const { data } = useQuery({
    queryKey: ["service", service],
    queryFn: () => fetchJson<ServiceOverview>(`/api/services/${encodeURIComponent(service)}`),
    initialData: initial,
    refetchInterval: 15_000,
  });
  const state = data
    ? tabState(
        {
          active: data.active,
          latest: data.history[0] ?? null,
          incident: data.incident !== null,
          alerting: (data.alerts ?? []).some((a) => a.state === "firing"),
        },
        data.readAt,
      )
    : null;
  const title = state ? tabTitle(service, state, page) : null;
  const icon = state ? tabIcon(state) : null;

  useEffect(() => {
    if (title) document.title = title;
  }, [title]);

  useEffect(() => {
    if (!icon) return;
    const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
    for (const link of links) link.href = icon;
    // Leaving the service gives the console its own icon back.
    return () => {
      for (const link of links) link.href = TAB_ICON.ok;
    };
  }, [icon]);

  return null;
}
