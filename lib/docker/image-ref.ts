import { ValidationError } from "@/lib/errors";

export type ImageRef = { ref: string; registry?: string; repository: string; tag?: string; digest?: string };

// Docker reference grammar (distribution/reference), lower-case path components only.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]{1,5})?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_REF_LENGTH = 512;

function fail(ref: string, why: string): never {
  // The reference is shown only when it is printable and short; it is user input, not a secret.
  const shown = /^[\x21-\x7e]{1,200}$/.test(ref) ? `"${ref}"` : "the image reference";
  throw new ValidationError(`Invalid image reference ${shown}: ${why}`);
}

/** A first path component is a registry host when it has a dot or port, or is `localhost` (as Docker decides). */
function isRegistryHost(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/**
 * Parses and validates an image reference before anything reaches Docker.
 * Images without a registry host (local builds, or Docker Hub shorthand) are always allowed:
 * Greenlight builds images offline, so a local name cannot be restricted by a registry allowlist.
 * A reference naming a registry host must name one on the allowlist when the list is non-empty
 * (`docker.io` on the list also allows the explicit `docker.io/...` form).
 */
export function parseImageRef(ref: string, allowedRegistries: string[] = []): ImageRef {
  if (typeof ref !== "string" || ref.length === 0) fail("", "it is empty");
  if (ref.length > MAX_REF_LENGTH) fail(ref, `it is longer than ${MAX_REF_LENGTH} characters`);
  if (/\s/.test(ref)) fail(ref, "it contains whitespace");
  if (/[;&|`$<>(){}\\'"!*?\[\]#~%^,=]/.test(ref))
    fail(ref, "it contains characters that are not allowed in an image reference");
  if (ref.startsWith("-")) fail(ref, "it must not start with '-'");

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(ref, "the digest must be sha256: followed by 64 lower-case hex characters");
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const lastColon = rest.lastIndexOf(":");
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (tag.length > 128) fail(ref, "the tag is longer than 128 characters");
    if (!TAG.test(tag))
      fail(ref, "the tag must be letters, digits, '_', '.' or '-', starting with a letter, digit or '_'");
  }

  const components = rest.split("/");
  let registry: string | undefined;
  if (components.length > 1 && isRegistryHost(components[0] ?? "")) {
    registry = components.shift();
    if (!registry || !HOST.test(registry)) fail(ref, "the registry host is not a valid host[:port]");
  }
  if (components.length === 0 || components.some((c) => c.length === 0))
    fail(ref, "the repository path has an empty component");
  for (const c of components) {
    if (c !== c.toLowerCase()) fail(ref, "the repository path must be lower-case");
    if (!PATH_COMPONENT.test(c)) fail(ref, `the repository path component "${c}" is not valid`);
  }
  const repository = (registry ? `${registry}/` : "") + components.join("/");

  if (registry && allowedRegistries.length > 0 && !allowedRegistries.includes(registry)) {
    fail(ref, `registry "${registry}" is not on the allowed list (${allowedRegistries.join(", ")})`);
  }

  const out: ImageRef = { ref, repository };
  if (registry) out.registry = registry;
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** True when `ref` names an image of `repository` (the repository as written in greenlight.yaml). */
export function imageMatchesRepository(ref: string, repository: string): boolean {
  let parsed: ImageRef;
  try {
    parsed = parseImageRef(ref);
  } catch {
    return false; // an invalid reference names no repository
  }
  return canonicalRepository(parsed.repository) === canonicalRepository(repository);
}

/** `docker.io/library/node`, `docker.io/node` and `node` are the same repository. */
function canonicalRepository(repository: string): string {
  return repository.replace(/^(?:docker\.io|index\.docker\.io)\//, "").replace(/^library\//, "");
}
