import { inspectImage } from "@/lib/docker/images";

/** The OCI image annotations a release page shows (`org.opencontainers.image.*`), each only when the image has it. */
export type OciLabels = { title?: string; version?: string; revision?: string; source?: string };

const KEYS = ["title", "version", "revision", "source"] as const;
const MAX_CHARS = 300;

/** Picks the OCI annotations out of an image's labels, trimmed and bounded; an empty result is null. */
export function ociLabels(labels: Record<string, string>): OciLabels | null {
  const out: OciLabels = {};
  for (const key of KEYS) {
    const value = labels[`org.opencontainers.image.${key}`]?.trim();
    if (value) out[key] = value.slice(0, MAX_CHARS);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** A source worth a link: a web address, nothing else (a label is whatever the image's builder wrote). */
export const linkableSource = (source: string | undefined): string | null =>
  source && /^https?:\/\/[^\s]+$/i.test(source) ? source : null;

/**
 * The release image's OCI annotations, read from the Docker engine when the page is drawn. The image may be gone or
 * the engine slow or down: then there is nothing to show, and the page does not wait more than `timeoutMs`.
 */
export async function readOciLabels(ref: string, timeoutMs = 2000): Promise<OciLabels | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const image = await Promise.race([inspectImage(ref).catch(() => null), timeout]);
    return image ? ociLabels(image.labels) : null;
  } finally {
    clearTimeout(timer);
  }
}
