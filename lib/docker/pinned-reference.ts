import { parseImageRef } from "./image-ref";

/**
 * The immutable name of the image `ref` resolved to: the repository digest of ref's own repository
 * (`repo@sha256:…`), or the local image id when the image never came from (or went to) that registry.
 */
export function pinnedReference(ref: string, image: { id: string; repoDigests: string[] }): string {
  const repository = parseImageRef(ref).repository;
  const match = image.repoDigests.find((d) => d.slice(0, d.indexOf("@")) === repository);
  return match ?? image.id;
}

/** `sha256:0123456789ab`: enough to tell two images apart on a screen. */
export function shortDigest(pinned: string | null | undefined): string | null {
  if (!pinned) return null;
  const m = /sha256:([a-f0-9]{12})/.exec(pinned);
  return m ? `sha256:${m[1]}` : null;
}
