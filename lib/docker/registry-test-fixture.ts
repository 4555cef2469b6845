// Test support only (not a test file): the local registry that scripts/infra.sh starts, and its test user.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocker } from "./client";
import { buildImage } from "./docker-test-fixture";
import { localRegistry, type LocalRegistry } from "./local-registry";
import { pushImage } from "./push";

export type TestRegistry = LocalRegistry;

/** The local registry and its test user, from the file infra.sh wrote. */
export function testRegistry(): TestRegistry {
  return localRegistry();
}

/**
 * Builds `FROM <base>` plus a layer of `ballastBytes` random bytes, pushes it to `target` (registry/repo:tag) and
 * removes it locally again, so deploying `target` must really download that layer. Returns the pushed digest and
 * the image id.
 */
export async function pushPullableRelease(input: {
  base: string;
  target: string;
  ballastBytes: number;
  registry: TestRegistry;
}): Promise<{ digest: string; imageId: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gltest-pull-img-"));
  try {
    fs.writeFileSync(path.join(dir, "ballast.bin"), crypto.randomBytes(input.ballastBytes));
    fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM ${input.base}\nCOPY ballast.bin /ballast.bin\n`);
    const built = `gltest-pull-build-${crypto.randomBytes(4).toString("hex")}:x`;
    const imageId = await buildImage(dir, built);
    const digest = await pushImage({ source: built, target: input.target, auth: input.registry.auth });
    await getDocker().getImage(built).remove();
    await getDocker().getImage(input.target).remove();
    return { digest, imageId };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes every local image of the repository (its tags and digests) that no container uses; for a clean pull. */
export async function removeLocalImages(repository: string): Promise<void> {
  const docker = getDocker();
  for (const image of await docker.listImages({ all: false })) {
    const names = [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])].filter(
      (n) => n.startsWith(`${repository}:`) || n.startsWith(`${repository}@`),
    );
    if (names.length === 0) continue;
    for (const n of image.RepoTags?.filter((t) => names.includes(t)) ?? [])
      await docker
        .getImage(n)
        .remove()
        .catch(() => {});
    // An image another repository still names (privatetrade:1.9.0 pushed as is) keeps that name and its content.
    if ((image.RepoTags ?? []).some((t) => !names.includes(t) && t !== "<none>:<none>")) continue;
    await docker
      .getImage(image.Id)
      .remove()
      .catch(() => {});
  }
}
