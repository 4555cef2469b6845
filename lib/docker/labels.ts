/** Labels on every container Greenlight creates; ownership and reconciliation go by these, never by name. */
export const LABELS = {
  service: "greenlight.service",
  slot: "greenlight.slot",
  version: "greenlight.version",
  deployment: "greenlight.deployment",
  managed: "greenlight.managed",
} as const;

export type LabelKey = keyof typeof LABELS;
