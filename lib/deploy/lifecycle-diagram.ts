import { FINAL_STATUSES } from "@/lib/db/schema";
import { START, TRANSITIONS } from "./lifecycle";

export const DIAGRAM_BEGIN = "<!-- lifecycle:begin -->";
export const DIAGRAM_END = "<!-- lifecycle:end -->";

/** The lifecycle table as a Mermaid state diagram: one arrow per transition, labelled with its verb. */
export function lifecycleDiagram(): string {
  const reached = new Set<string>([START.to, ...TRANSITIONS.map((t) => t.to)]);
  const lines = [
    "```mermaid",
    "stateDiagram-v2",
    `  [*] --> ${START.to}: ${START.verb}`,
    ...TRANSITIONS.map((t) => `  ${t.from} --> ${t.to}: ${t.verb}`),
    ...FINAL_STATUSES.filter((s) => reached.has(s)).map((s) => `  ${s} --> [*]`),
    "```",
  ];
  return lines.join("\n");
}

/** `doc` with the text between the lifecycle markers replaced by the diagram; throws when a marker is missing. */
export function withDiagram(doc: string): string {
  const begin = doc.indexOf(DIAGRAM_BEGIN);
  const end = doc.indexOf(DIAGRAM_END);
  if (begin < 0 || end < begin) throw new Error(`${DIAGRAM_BEGIN} ... ${DIAGRAM_END} not found`);
  return `${doc.slice(0, begin + DIAGRAM_BEGIN.length)}\n${lifecycleDiagram()}\n${doc.slice(end)}`;
}
