import { utcText } from "./moment";

export type AnnouncementFields = {
  service: string;
  version: string;
  fromVersion: string | null;
  image: string;
  at: number;
  by: string;
};

/** The service's announcement text with its `{field}`s filled in (the config allows only known fields). */
export function renderAnnouncement(template: string, f: AnnouncementFields): string {
  const values: Record<string, string> = {
    service: f.service,
    version: f.version,
    fromVersion: f.fromVersion ?? "(nothing live)",
    image: f.image,
    at: utcText(f.at),
    by: f.by,
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
