import type { Config, ServiceConfig } from "@/lib/config/schema";
import { resolveSecret } from "@/lib/config/secrets";
import { inspectImage } from "@/lib/docker/images";
import { parseImageRef } from "@/lib/docker/image-ref";
import { pullImage, PullError, type RegistryAuth } from "@/lib/docker/pull";
import type { PullProgress } from "@/lib/docker/pull-progress";
import { pinnedReference } from "@/lib/docker/pinned-reference";
import { PhaseFailure, type PhaseResult, type PhaseRun } from "../context";
import { clearPullProgress, setPullProgress } from "../pull-progress";
import { updateDeployment } from "../store";

type Registry = { host: string; declared?: Config["registries"][number] };

function registryOf(config: Config, ref: string): Registry {
  const host = parseImageRef(ref).registry ?? "docker.io";
  return { host, declared: config.registries.find((r) => r.host === host) };
}

function authFor(registry: Registry): RegistryAuth | undefined {
  const r = registry.declared;
  if (!r) return undefined;
  let password: string;
  try {
    password = resolveSecret(r.password);
  } catch {
    throw new PhaseFailure(
      `The password of registry ${r.host} comes from ${r.password.fromEnv}, which is not set in Greenlight's environment; set it and retry.`,
    );
  }
  return { username: r.username, password, serveraddress: r.host };
}

/** Words a release manager can act on, naming the registry and image, never a credential. */
function explain(error: PullError, ref: string, registry: Registry, service: ServiceConfig): string {
  const r = registry.declared;
  switch (error.kind) {
    case "unauthorized":
      return r
        ? `Registry ${registry.host} refused the credentials of user ${r.username} for ${ref} (unauthorized): check the username and the password in ${r.password.fromEnv}, and that the user may read this repository.`
        : `Registry ${registry.host} wants credentials for ${ref} (unauthorized): declare it under registries: in greenlight.yaml.`;
    case "not_found":
      return `${ref} is not in registry ${registry.host}: no such tag or repository. Check the tag was pushed.`;
    case "unreachable":
      return `Registry ${registry.host} does not answer while pulling ${ref}: is it running and reachable from this host?`;
    case "disk_full":
      return `No space left on this host's Docker storage while pulling ${ref}: free disk, then retry.`;
    case "stalled":
      return `Pulling ${ref} from ${registry.host} stalled: ${error.message}; the limit is pullStallSeconds (${service.pullStallSeconds} s).`;
    case "aborted":
      return "Aborted by a release manager.";
    default:
      return `Pulling ${ref} from ${registry.host} failed: ${error.message}`;
  }
}

/**
 * Makes the release's image present (by the service's pull policy) and pins the deployment to its digest, so the
 * target, a retry and a redeploy run exactly this image whatever later happens to the tag.
 */
export async function pull(run: PhaseRun): Promise<PhaseResult> {
  const { deployment, service, ctx } = run;
  const wanted = deployment.imageDigest ?? deployment.image;
  const registry = registryOf(ctx.config, wanted);
  const local = await inspectImage(wanted);
  if (service.pull === "never" && !local)
    throw new PhaseFailure(
      `${wanted} is not on this engine and ${service.name} is set to pull: never; build or load it here, or set pull: missing.`,
    );
  const mustPull = service.pull === "always" || !local;
  let progress: PullProgress | null = null;
  const started = Date.now();
  if (mustPull) {
    const auth = authFor(registry);
    run.log("info", `Pulling ${wanted} from ${registry.host}${auth ? ` as ${auth.username}` : ""}`);
    try {
      progress = await pullImage({
        ref: wanted,
        auth,
        stallMs: service.pullStallSeconds * 1000,
        signal: run.signal,
        onProgress: (p) => setPullProgress(deployment.id, service.name, p),
      });
    } catch (error) {
      if (!(error instanceof PullError)) throw error;
      throw new PhaseFailure(explain(error, wanted, registry, service), {
        kind: error.kind,
        registry: registry.host,
        image: wanted,
        engine: error.message,
      });
    } finally {
      clearPullProgress(deployment.id);
    }
  }
  const image = await inspectImage(wanted);
  if (!image) throw new PhaseFailure(`${wanted} is not on this engine after the pull; retry.`);
  const digest = pinnedReference(wanted, image);
  updateDeployment(ctx.db, deployment.id, { imageDigest: digest });
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const summary = mustPull
    ? `pulled ${wanted} from ${registry.host} (${progress?.total ? `${mb(progress.total)} downloaded` : "every layer already on this engine"} in ${((Date.now() - started) / 1000).toFixed(1)} s); pinned to ${digest}`
    : `${wanted} already on this engine (pull: ${service.pull}); pinned to ${digest}`;
  return { status: "passed", summary, detail: { pulled: mustPull, digest, registry: registry.host, progress } };
}
