import { monitoringPlanSchema } from "@/lib/plan/schema";
import { z } from "zod";

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "must be lower-case letters, digits and dashes, starting with a letter (max 40)");
const port = z.number().int().min(1).max(65535);
const envKey = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be letters, digits and underscores, not starting with a digit")
  .refine((k) => !/^LD_|^DYLD_/.test(k), "loader variables (LD_*, DYLD_*) are not allowed");
const noNewline = (what: string) =>
  z.string().refine((v) => !/[\r\n\0]/.test(v), `${what} must not contain newlines or NUL`);

/** An env value: plain text, or a secret given inline or read from Greenlight's own environment. */
const envValueSchema = z.union([
  noNewline("value"),
  z.strictObject({ value: noNewline("value"), secret: z.boolean().default(true) }),
  z.strictObject({ fromEnv: envKey, secret: z.literal(true).default(true) }),
]);

/** A secret setting (webhook URL, routing key): inline or from Greenlight's environment. */
const secretSchema = z.union([z.string().min(1), z.strictObject({ fromEnv: envKey })]);

const volumeSchema = z.strictObject({
  host: z.string().min(1),
  container: z.string().startsWith("/", "must be an absolute path"),
  readOnly: z.boolean().default(false),
});

const networkSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("host") }),
  z.strictObject({
    mode: z.literal("bridge"),
    // Docker takes these names as network modes, not networks: they would share the host's or another container's
    // network (and loopback) under a setting that says bridge.
    name: z
      .string()
      .min(1)
      .refine(
        (n) => !["host", "none"].includes(n) && !n.startsWith("container:"),
        "host, none and container:… are network modes, not bridge networks; use mode: host, or name a bridge network",
      )
      .default("bridge"),
    containerPort: port.optional(),
  }),
]);

const smokeSchema = z.strictObject({
  name: z.string().min(1),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).default("GET"),
  path: z.string().startsWith("/", "must start with /"),
  body: z.unknown().optional(),
  expect: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
  budgetMs: z.number().int().positive().default(500),
  /** Safe to run against the live slot after the migration (no writes). */
  readOnly: z.boolean().optional(),
  /** Runs only for releases at or above this version (endpoints a release introduced). */
  minVersion: z.string().optional(),
});

const thresholdsSchema = z.strictObject({
  errorRatePercent: z.number().positive().default(1),
  p95Ms: z.number().positive().default(2000),
  memoryMb: z.number().positive().default(300),
  dbErrorsPerMinute: z.number().nonnegative().default(10),
  dbErrorPattern: z.string().default("SQLITE_(BUSY|CANTOPEN|IOERR|CORRUPT)|database connection error"),
  /** Each evaluation judges the last windowSeconds; equal to the interval, one spike lands in one window only. */
  windowSeconds: z.number().int().min(1).default(4),
  evaluateEverySeconds: z.number().min(0.5).default(4),
  consecutiveBreaches: z.number().int().min(1).default(3),
  minRequests: z.number().int().min(1).default(10),
  /**
   * During a weighted step: the new colour's error rate may be at most this many percentage points above the old
   * colour's over the same window (both judged only with minRequests each).
   */
  relativeErrorRatePoints: z.number().nonnegative().default(2),
});

export const ALERT_METRICS = ["error_rate", "response_time_p95", "memory_usage", "database_connection_errors"] as const;

/** One alert rule on the live colour: the figure over the last `windowSeconds` above `above` for `forSeconds`. */
const alertRuleSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, "must be lower-case letters, digits, dashes and underscores (max 40)"),
  metric: z.enum(ALERT_METRICS),
  /** %, ms, MiB or errors a minute, as the rollback triggers count them. */
  above: z.number().nonnegative(),
  forSeconds: z.number().int().min(0),
  windowSeconds: z.number().int().min(1).max(3600).default(60),
  /** Fewer requests in the window than this: error rate and p95 are not judged (a quiet night pages nobody). */
  minRequests: z.number().int().min(1).default(10),
});

/** The seed's figures an on-call is paged for: error rate over 1 % for 5 min, p95 over 1 s for 10 min, memory over 200 MB. */
export const DEFAULT_ALERT_RULES = [
  { name: "error-rate", metric: "error_rate", above: 1, forSeconds: 300, windowSeconds: 60, minRequests: 10 },
  {
    name: "latency-p95",
    metric: "response_time_p95",
    above: 1000,
    forSeconds: 600,
    windowSeconds: 60,
    minRequests: 10,
  },
  { name: "memory", metric: "memory_usage", above: 200, forSeconds: 300, windowSeconds: 60, minRequests: 10 },
] as const satisfies ReadonlyArray<z.input<typeof alertRuleSchema>>;

const alertsSchema = z.strictObject({
  rules: z
    .array(alertRuleSchema)
    .default(DEFAULT_ALERT_RULES.map((r) => ({ ...r })))
    .refine((rules) => new Set(rules.map((r) => r.name)).size === rules.length, "rule names must be unique"),
  evaluateEverySeconds: z.number().min(1).max(300).default(5),
});
/**
 * One step of a weighted promotion: the share of requests the new colour gets, and how long it is judged there
 * before the next step (seconds, or "manual": until a person continues). A bare number is a step with the default
 * pause of 30 s.
 */
const promotionStepSchema = z.union([
  z.number().int().min(1).max(100),
  z.strictObject({
    percent: z.number().int().min(1).max(100),
    pause: z.union([z.number().min(0), z.literal("manual")]).default(30),
  }),
]);

/** The steps in order: percents rising, the last one 100 (judged by the watch window, so its pause is unused). */
const promotionStepsSchema = z
  .array(promotionStepSchema)
  .min(2, "name at least one share below 100 and the final 100, e.g. [10, 50, 100]")
  .transform((steps) => steps.map((s) => (typeof s === "number" ? { percent: s, pause: 30 as const } : s)))
  .superRefine((steps, ctx) => {
    steps.forEach((s, i) => {
      if (i > 0 && s.percent <= steps[i - 1]!.percent)
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `must rise: ${s.percent} % follows ${steps[i - 1]!.percent} %`,
        });
    });
    if (steps.at(-1)?.percent !== 100)
      ctx.addIssue({ code: "custom", path: [steps.length - 1], message: "the last step must be 100 %" });
  });

// Host names and path prefixes go into nginx's config unquoted: only characters nginx reads as plain text.
const hostName = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    "must be a lower-case DNS name (letters, digits, dashes and dots), e.g. reports.example.internal",
  );
const pathPrefix = z
  .string()
  .regex(
    /^\/([A-Za-z0-9._~-]+\/)*$/,
    "must start and end with / and use letters, digits and ._~- between the slashes, e.g. /reports/",
  );

/** How users reach a service through the load balancer: its own Host name, a path prefix, or its own listen port. */
const routeSchema = z.union(
  [z.strictObject({ host: hostName }), z.strictObject({ pathPrefix }), z.strictObject({ listenPort: port })],
  { error: "must be exactly one of { host: <name> }, { pathPrefix: /prefix/ } or { listenPort: <port> }" },
);

const absolutePath = (what: string) =>
  z
    .string()
    .startsWith("/", `${what} must be an absolute path`)
    .refine((v) => !/[\r\n\0\s]/.test(v), `${what} must not contain spaces, newlines or NUL`);
// Backend and server names go into HAProxy's runtime API commands: only characters HAProxy reads as one word.
const haproxyName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be letters, digits and _.:- (an HAProxy backend or server name, max 64)");

/**
 * How traffic reaches the service's colours. Absent: Greenlight's own nginx upstream file (the `nginx` section).
 * haproxy: an HAProxy the operator runs, switched through its runtime API on `socket`; `stateFile` is the
 * `server-state-file` its config loads (`load-server-state-from-file global`), which Greenlight rewrites after each
 * switch so a restart or reload keeps the live colour; `config` is the file `haproxy -c` checks before any change.
 */
const trafficSchema = z.discriminatedUnion(
  "driver",
  [
    z.strictObject({ driver: z.literal("nginx") }),
    z.strictObject({
      driver: z.literal("haproxy"),
      binary: z.string().min(1).default("haproxy"),
      socket: absolutePath("socket"),
      config: absolutePath("config"),
      stateFile: absolutePath("stateFile"),
      backend: haproxyName,
      servers: z
        .strictObject({ blue: haproxyName, green: haproxyName })
        .refine((s) => s.blue !== s.green, "blue and green must name two different servers"),
      /** HAProxy's frontend, where verification probes the service the way users reach it. */
      lbUrl: z.string().url(),
      /**
       * A loopback UDP port where HAProxy sends its request log in Greenlight's format (`log 127.0.0.1:<port> format
       * raw local0`, `log-format` as lib/traffic/haproxy-log.ts says): the per-colour metrics the watch judges.
       */
      logPort: port.optional(),
    }),
  ],
  { error: "must be { driver: nginx } or { driver: haproxy, socket, config, stateFile, backend, servers, lbUrl }" },
);

/** The fields a scheduled deployment's announcement may name, each written `{field}`. */
export const ANNOUNCEMENT_FIELDS: readonly string[] = ["service", "version", "fromVersion", "image", "at", "by"];
export const DEFAULT_ANNOUNCEMENT =
  "Deployment of {service} {fromVersion} → {version} starts at {at}, scheduled by {by}.";

export const serviceSchema = z.strictObject({
  name,
  /** Without a route the service answers at / on the load balancer's own port (the one-service setup). */
  route: routeSchema.optional(),
  traffic: trafficSchema.optional(),
  image: z
    .string()
    .regex(
      /^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
      "must be an image repository without a tag",
    ),
  slots: z.strictObject({
    blue: z.strictObject({ port }),
    green: z.strictObject({ port }),
  }),
  container: z
    .strictObject({
      env: z
        .record(z.string(), envValueSchema)
        .superRefine((env, ctx) => {
          for (const key of Object.keys(env)) {
            const problem = envKey.safeParse(key).error?.issues[0]?.message;
            if (problem) ctx.addIssue({ code: "custom", path: [key], message: `the name ${problem}` });
          }
        })
        .default({}),
      portEnv: envKey.default("PORT"),
      volumes: z.array(volumeSchema).default([]),
      network: networkSchema.default({ mode: "host" }),
      command: z.array(noNewline("command word")).optional(),
      memoryMb: z.number().int().min(16).optional(),
      cpus: z.number().positive().optional(),
      stopGraceSeconds: z.number().int().min(0).max(300).default(10),
    })
    .prefault({}),
  health: z
    .strictObject({
      path: z.string().startsWith("/", "must start with /").default("/api/health"),
      versionField: z.string().default("version"),
      firstIntervalMs: z.number().int().positive().default(50),
      maxIntervalMs: z.number().int().positive().default(5000),
      deadlineSeconds: z.number().positive().default(300),
      /** Answers in a row that settle the outcome early: healthy but another version, or (N-1 rehearsal) the same non-2xx. */
      certainAfter: z.number().int().min(1).default(3),
      /** How long a switch may take to show through nginx before it counts as failed. */
      verifyDeadlineSeconds: z.number().positive().default(10),
    })
    .prefault({}),
  database: z
    .strictObject({
      path: z.string().min(1),
      migrations: z.string().optional(),
      checks: z
        .array(z.strictObject({ table: z.string().regex(/^\w+$/), minRows: z.number().int().min(0) }))
        .default([]),
    })
    .optional(),
  smoke: z.array(smokeSchema).default([]),
  thresholds: thresholdsSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  watch: z.strictObject({ bakeSeconds: z.number().min(0).default(60) }).prefault({}),
  /** The monitoring plan after the switch: checkpoints, hourly and daily reports (lib/plan). */
  monitoring: monitoringPlanSchema,
  promotion: z
    .strictObject({
      autoPromote: z.boolean().default(false),
      previewExpiresMinutes: z.number().positive().default(60),
      /** A switch that failed for a reason outside the release keeps its target this long for a retry; 0 removes it. */
      keepTargetAfterSwitchFailureMinutes: z.number().nonnegative().default(30),
      /** Weighted promotion: absent, the switch sends all traffic to the new colour at once. */
      steps: promotionStepsSchema.optional(),
    })
    .prefault({}),
  retention: z
    .strictObject({
      keepOldHours: z.number().nonnegative().default(24),
      healthCheckMinutes: z.number().positive().default(60),
      pruneImagesDays: z.number().nonnegative().default(7),
    })
    .prefault({}),
  preflight: z
    .strictObject({
      minFreeDiskMb: z.number().nonnegative().default(1024),
      logLines: z.number().int().positive().default(100),
      logErrorPattern: z.string().default("\\berror\\b"),
      scanner: z.array(z.string()).optional(),
    })
    .prefault({}),
  notifications: z
    .array(
      z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("slack"), name: z.string().default("slack"), webhookUrl: secretSchema }),
        z.strictObject({
          type: z.literal("pagerduty"),
          name: z.string().default("pagerduty"),
          routingKey: secretSchema,
          eventsUrl: z.string().url().default("https://events.pagerduty.com/v2/enqueue"),
        }),
      ]),
    )
    .default([]),
  rollback: z.strictObject({ breakGlass: z.boolean().default(true) }).prefault({}),
  schedule: z
    .strictObject({
      /** A scheduled deployment's preflight runs alone this long before its moment, and its result is posted. */
      preflightMinutes: z.number().positive().max(1440).default(60),
      /** The announcement is posted this long before the moment. */
      announceMinutes: z.number().positive().max(1440).default(30),
      /** A moment passed while Greenlight was down: wait for a release manager (ask) or cancel it with an alert (skip). */
      missed: z.enum(["ask", "skip"]).default("ask"),
      announcement: z
        .string()
        .min(1)
        .max(1000)
        .refine(
          (text) => [...text.matchAll(/\{(\w+)\}/g)].every((m) => ANNOUNCEMENT_FIELDS.includes(m[1]!)),
          `may only use the fields ${"{service} {version} {fromVersion} {image} {at} {by}"}`,
        )
        .default(DEFAULT_ANNOUNCEMENT),
    })
    .prefault({}),
  /** missing: pull when the engine lacks the image; always: pull every deployment; never: the image must be local. */
  pull: z.enum(["missing", "always", "never"]).default("missing"),
  /** A pull that receives no progress for this long fails as stalled. */
  pullStallSeconds: z.number().positive().default(60),
});

const registrySchema = z.strictObject({
  host: z
    .string()
    .regex(
      /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]{1,5})?$/,
      "must be a registry host[:port], without a scheme, path or credentials",
    ),
  username: z
    .string()
    .min(1)
    .refine((v) => !/[\r\n\0:]/.test(v), "must not contain ':', newlines or NUL"),
  password: z.strictObject(
    { fromEnv: envKey },
    {
      error:
        "must be { fromEnv: VARIABLE }: the password is read from Greenlight's environment, never written in this file",
    },
  ),
});

export const configSchema = z.strictObject({
  nginx: z.strictObject({
    binary: z.string().default("nginx"),
    mainConfig: z.string().min(1),
    upstreamDir: z.string().min(1),
    accessLog: z.string().optional(),
    lbUrl: z.string().url(),
  }),
  docker: z
    .strictObject({
      allowedRegistries: z.array(z.string()).default([]),
    })
    .prefault({}),
  /** Registries Greenlight pulls from, with their credentials (secrets, never in an image reference). */
  registries: z.array(registrySchema).default([]),
  /** Greenlight's own database, backed up by the driving engine (0 hours turns it off). */
  selfBackup: z
    .strictObject({
      everyHours: z.number().nonnegative().default(24),
      keep: z.number().int().min(1).default(7),
      /** Default: `backups/` in GREENLIGHT_DATA_DIR; relative to this file when relative. */
      dir: z.string().min(1).optional(),
    })
    .prefault({}),
  services: z.array(serviceSchema).min(1, "declare at least one service"),
});

export type Config = z.infer<typeof configSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type SmokeTest = z.infer<typeof smokeSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertMetric = AlertRule["metric"];
export type PromotionStep = z.output<typeof promotionStepsSchema>[number];
export type EnvValue = z.infer<typeof envValueSchema>;
export type Secret = z.infer<typeof secretSchema>;
export type Route = z.infer<typeof routeSchema>;
export type TrafficConfig = z.infer<typeof trafficSchema>;
export type HaproxyTraffic = Extract<TrafficConfig, { driver: "haproxy" }>;
export type Slot = "blue" | "green";
export const SLOTS: readonly Slot[] = ["blue", "green"];
export const otherSlot = (slot: Slot): Slot => (slot === "blue" ? "green" : "blue");
