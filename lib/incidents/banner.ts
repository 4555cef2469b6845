import type { Db } from "@/lib/db/client";
import { openIncidents } from "./store";

export type BannerIncident = {
  service: string;
  kind: "live_down" | "failed_release";
  problem: string;
  openedAt: number;
};

export function incidentBanner(db: Db): BannerIncident[] {
  return openIncidents(db).map((i) => ({ service: i.service, kind: i.kind, problem: i.problem, openedAt: i.openedAt }));
}
