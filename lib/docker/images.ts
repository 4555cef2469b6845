import type Dockerode from "dockerode";
import { AppError } from "@/lib/errors";
import { dockerMessage, dockerStatusCode, getDocker } from "./client";
import { imageMatchesRepository } from "./image-ref";

export type ImageSummary = {
  id: string;
  created: string;
  size: number;
  labels: Record<string, string>;
  repoTags: string[];
  repoDigests: string[];
};
export type ImageLayer = { createdBy: string; size: number; created: string };

/** The image's identity and metadata, or null when it is not present locally. */
export async function inspectImage(ref: string): Promise<ImageSummary | null> {
  try {
    const info = await getDocker().getImage(ref).inspect();
    return {
      id: info.Id,
      created: info.Created,
      size: info.Size,
      labels: info.Config?.Labels ?? {},
      repoTags: info.RepoTags ?? [],
      repoDigests: info.RepoDigests ?? [],
    };
  } catch (error) {
    if (dockerStatusCode(error) === 404) return null;
    throw new AppError(`Could not inspect image ${ref}: ${dockerMessage(error)}`, { cause: error });
  }
}

/** The image's layers, newest first, as `docker history` lists them. */
export async function imageHistory(ref: string): Promise<ImageLayer[]> {
  let layers: Array<{ Created: number; CreatedBy: string; Size: number }>;
  try {
    layers = await getDocker().getImage(ref).history();
  } catch (error) {
    throw new AppError(`Could not read the history of image ${ref}: ${dockerMessage(error)}`, { cause: error });
  }
  return layers.map((l) => ({
    createdBy: l.CreatedBy,
    size: l.Size,
    created: new Date(l.Created * 1000).toISOString(),
  }));
}

/** Local images with at least one tag in the repository; `repoTags` keeps only that repository's tags. */
export async function listImages(repository: string): Promise<ImageSummary[]> {
  let images: Dockerode.ImageInfo[];
  try {
    images = await getDocker().listImages({ all: false });
  } catch (error) {
    throw new AppError(`Could not list images: ${dockerMessage(error)}`, { cause: error });
  }
  return images
    .map((i) => ({
      id: i.Id,
      created: new Date(i.Created * 1000).toISOString(),
      size: i.Size,
      labels: i.Labels ?? {},
      repoTags: (i.RepoTags ?? []).filter((t) => imageMatchesRepository(t, repository)),
      repoDigests: i.RepoDigests ?? [],
    }))
    .filter((i) => i.repoTags.length > 0);
}

export type RemoveImageResult = { removed: true } | { removed: false; reason: string };

/** Untags (and deletes when it was the last tag) the image; an image in use or already gone is reported, not thrown. */
export async function removeImage(ref: string): Promise<RemoveImageResult> {
  try {
    await getDocker().getImage(ref).remove({ force: false, noprune: false });
    return { removed: true };
  } catch (error) {
    const status = dockerStatusCode(error);
    if (status === 404) return { removed: false, reason: "not present" };
    if (status === 409) return { removed: false, reason: `in use: ${dockerMessage(error)}` };
    throw new AppError(`Could not remove image ${ref}: ${dockerMessage(error)}`, { cause: error });
  }
}

/**
 * Removes the repository's tags older than `olderThanMs`, except those in `keep` (tags or image ids)
 * and images any container (running or stopped) was created from. Returns the removed tags.
 */
export async function pruneImages(input: {
  repository: string;
  olderThanMs: number;
  keep: string[];
}): Promise<string[]> {
  const cutoff = Date.now() - input.olderThanMs;
  const keep = new Set(input.keep);
  let used: Set<string>;
  try {
    used = new Set((await getDocker().listContainers({ all: true })).map((c) => c.ImageID));
  } catch (error) {
    throw new AppError(`Could not list containers: ${dockerMessage(error)}`, { cause: error });
  }
  const removed: string[] = [];
  for (const image of await listImages(input.repository)) {
    if (Date.parse(image.created) >= cutoff || used.has(image.id) || keep.has(image.id)) continue;
    for (const tag of image.repoTags) {
      if (keep.has(tag)) continue;
      const result = await removeImage(tag);
      if (result.removed) removed.push(tag);
    }
  }
  return removed;
}
