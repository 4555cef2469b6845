import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { processWide } from "@/lib/process-wide";

/** Keys whose values never reach the log, at any depth the logger looks (pino's redaction). */
const SECRET_KEYS = ["password", "token", "secret", "authorization", "cookie", "apiKey", "routingKey", "webhookUrl"];
export const REDACTED_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), "*.headers.*"];
const REDACTED = "[redacted]";

/** Environment variables that hold secrets (registry passwords, tokens, webhook URLs given by `fromEnv`). */
const SECRET_ENV = /(PASSWORD|TOKEN|SECRET|KEY|WEBHOOK)/i;

/** The values of this process's secret environment variables, longest first, so none is left half-replaced. */
function secretValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_ENV.test(name) && value && value.length >= 6)
    .map(([, value]) => value!)
    .sort((a, b) => b.length - a.length);
}

/** Cuts every known secret value out of a text: the second line of defence after the sources' own scrubbing. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * Greenlight's one logger: JSON lines (level, time, component, and the deployment and service where known) on
 * stdout, readable lines when stdout is a terminal. `GREENLIGHT_LOG_LEVEL` sets the level (default info).
 * Secrets are removed twice: by key (pino's redaction) and by value (the secret environment variables).
 */
export function createLogger(
  env: Record<string, string | undefined> = process.env,
  destination: pino.DestinationStream = process.stdout.isTTY
    ? pretty({ sync: true, colorize: true })
    : pino.destination({ dest: 1, sync: true }),
): Logger {
  const secrets = secretValues(env);
  const clean = (value: unknown) => (typeof value === "string" ? scrubSecrets(value, secrets) : value);
  return pino(
    {
      level: env.GREENLIGHT_LOG_LEVEL ?? "info",
      base: { app: "greenlight", pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
      serializers: {
        err: (error: unknown) => {
          const e = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
          return { ...e, message: clean(e.message), stack: clean(e.stack) };
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map(clean) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** The process's logger for one part of Greenlight (`engine`, `pipeline`, `notify`...). */
export function logger(component: string): Logger {
  return processWide("logger", () => createLogger()).child({ component });
}
