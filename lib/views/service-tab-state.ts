import type { Metadata } from "next";
import type { Db } from "@/lib/db/client";
import { listDeployments, unfinishedDeployments } from "@/lib/deploy/store";
import { openIncidentOf } from "@/lib/incidents/store";
import { alertStatesOf } from "@/lib/alerts/store";
import { tabIcon, tabState, tabTitle } from "./tab-state";

/**
 * A service page's title and icon as the server renders them, from the database alone (no Docker read): the same
 * state the page then keeps current in the browser (components/service-tab.tsx).
 */
export function serviceTabMetadata(db: Db, service: string, page?: string, now = Date.now()): Metadata {
  const state = tabState(
    {
      active: unfinishedDeployments(db).find((d) => d.service === service) ?? null,
      latest: listDeployments(db, service, 1)[0] ?? null,
      incident: openIncidentOf(db, service) !== undefined,
      alerting: alertStatesOf(db, service).some((a) => a.state === "firing"),
    },
    now,
  );
  return {
    title: tabTitle(service, state, page),
    icons: { icon: [{ url: tabIcon(state), type: "image/svg+xml" }], apple: "/apple-touch-icon.png" },
  };
}
