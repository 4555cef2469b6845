import type { ServiceConfig } from "@/lib/config/schema";
import { listImages } from "@/lib/docker/images";

export type ReleaseImage = { ref: string; tag: string; created: string; size: number };

/** Tags of the service's repository present on the Docker engine, newest image first. */
export async function releaseImages(service: ServiceConfig): Promise<ReleaseImage[]> {
  const images = await listImages(service.image);
  return images
    .sort((a, b) => b.created.localeCompare(a.created))
    .flatMap((image) =>
      image.repoTags.map((ref) => ({ ref, tag: ref.slice(ref.lastIndexOf(":") + 1), created: image.created, size: image.size })),
    );
}
