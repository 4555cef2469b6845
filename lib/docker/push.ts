import { AppError } from "@/lib/errors";
import { dockerMessage, getDocker } from "./client";
import type { RegistryAuth } from "./pull";
import { redact } from "@/lib/config/secrets";

/**
 * Tags a copy of a local image as `target` (registry/repository:tag) and pushes it; the source tag is never
 * touched. Resolves with the repository digest the registry gave it.
 */
export async function pushImage(input: { source: string; target: string; auth: RegistryAuth }): Promise<string> {
  const docker = getDocker();
  const colon = input.target.lastIndexOf(":");
  const repo = input.target.slice(0, colon);
  const tag = input.target.slice(colon + 1);
  const fail = (text: string) => new AppError(`Could not push ${input.target}: ${redact(text, [input.auth.password])}`);
  let digest: string | undefined;
  try {
    await docker.getImage(input.source).tag({ repo, tag });
    const stream = await docker.getImage(input.target).push({ tag, authconfig: input.auth });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (m: { error?: string; aux?: { Digest?: string } }) => {
          if (m.error) reject(new Error(m.error));
          if (m.aux?.Digest) digest = m.aux.Digest;
        },
      ),
    );
  } catch (error) {
    throw fail(dockerMessage(error));
  }
  if (!digest) throw fail("the registry reported no digest");
  return `${repo}@${digest}`;
}
