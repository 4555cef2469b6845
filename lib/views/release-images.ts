import { processWide } from "@/lib/process-wide";
import type { ServiceConfig } from "@/lib/config/schema";
import { listImages, type ImageSummary } from "@/lib/docker/images";

export type ReleaseImage = { ref: string; tag: string; created: string; size: number };

const TTL_MS = 5_000;
type Cached = { at: number; images: Promise<ImageSummary[]> };

/** Tags of the service's repository present on the Docker engine, newest image first (re-read every few seconds). */
export async function releaseImages(service: ServiceConfig, now = Date.now()): Promise<ReleaseImage[]> {
  const cache = processWide("image-cache", () => new Map<string, Cached>());
  let hit = cache.get(service.image);
  if (!hit || now - hit.at >= TTL_MS) {
    hit = { at: now, images: listImages(service.image) };
    cache.set(service.image, hit);
    hit.images.catch(() => cache.delete(service.image));
  }
  const images: ImageSummary[] = await hit.images;
  return images
    .sort((a, b) => b.created.localeCompare(a.created))
    .flatMap((image) =>
      image.repoTags.map((ref) => ({
        ref,
        tag: ref.slice(ref.lastIndexOf(":") + 1),
        created: image.created,
        size: image.size,
      })),
    );
}
