import type { EnvValue, Secret } from "./schema";

type Env = Record<string, string | undefined>;

export const REDACTED = "••••••";

/** Resolves a secret setting to its value; throws naming the variable (never the value) when unset. */
export function resolveSecret(secret: Secret, env: Env = process.env): string {
  if (typeof secret === "string") return secret;
  const value = env[secret.fromEnv];
  if (!value) throw new Error(`environment variable ${secret.fromEnv} is not set`);
  return value;
}

export function resolveEnvValue(value: EnvValue, env: Env = process.env): string {
  if (typeof value === "string") return value;
  if ("value" in value) return value.value;
  return resolveSecret({ fromEnv: value.fromEnv }, env);
}

export function isSecretEnv(value: EnvValue): boolean {
  return typeof value !== "string" && value.secret !== false;
}

/** Every secret value a config resolves to, for scrubbing text before it reaches logs or the UI. */
export function secretValues(values: Array<EnvValue | Secret>, env: Env = process.env): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === "string") continue;
    try {
      if ("value" in v) {
        if (v.secret !== false) out.push(v.value);
      } else out.push(resolveSecret({ fromEnv: v.fromEnv }, env));
    } catch {
      // an unset variable has no value to leak
    }
  }
  return out.filter((s) => s.length >= 4);
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => acc.split(s).join(REDACTED), text);
}
