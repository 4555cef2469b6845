import { DEPLOYMENT_STATUSES } from "@/lib/db/schema/deployment-states";
/** The v1 API as OpenAPI 3.1, kept beside the handlers it describes; tests check every route here exists. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: unknown) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: jsonBody(ref("Error")) });
const refusals = {
  "400": error("Invalid input; the message names the field"),
  "401": error("No valid session cookie or API token"),
  "403": error("Role too weak, service outside the token's scope, or a cross-origin browser request"),
  "404": error("Not found"),
};
const serviceParam = {
  name: "service",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$" },
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Greenlight API",
    version: "1.0.0",
    description:
      "Start, follow, promote and abort blue-green deployments, and ask for rollbacks. Authenticate with `Authorization: Bearer glt_…` (an API token an admin created; its role and service list apply) or a session cookie.",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    "/api/v1/services": {
      get: {
        summary: "Services the caller may see",
        "x-role": "viewer",
        responses: {
          "200": {
            description: "Services",
            content: jsonBody({
              type: "object",
              properties: {
                services: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      problem: {
                        type: ["string", "null"],
                        description:
                          "What is wrong (open incident, live container not running, nginx pointing at nothing, Docker or nginx unreadable); null when the service serves as it should",
                      },
                      incident: {
                        type: ["object", "null"],
                        properties: {
                          kind: { enum: ["live_down", "failed_release"] },
                          problem: { type: "string" },
                          openedAt: { type: "integer" },
                          deploymentId: { type: ["string", "null"] },
                          retryAttempts: { type: "integer" },
                        },
                      },
                    },
                  },
                },
              },
            }),
          },
          ...refusals,
        },
      },
    },
    "/api/v1/services/{service}/deployments": {
      post: {
        summary: "Start a deployment",
        "x-role": "release_manager",
        parameters: [serviceParam],
        requestBody: { required: true, content: jsonBody(ref("StartDeployment")) },
        responses: {
          "202": {
            description: "Started; follow `links.self` or `links.events`",
            content: jsonBody(ref("DeploymentStarted")),
          },
          "200": {
            description: "The version already serves; nothing to do",
            content: jsonBody({
              type: "object",
              required: ["noop", "message"],
              properties: { noop: { const: true }, message: { type: "string" } },
            }),
          },
          "409": error("Another deployment holds the service's lock; `error.holder` and `error.deployment` say which"),
          ...refusals,
        },
      },
    },
    "/api/v1/services/{service}/alert-silences": {
      post: {
        summary: "Silence one alert rule of the service, or all of them, for a time: firings are shown, not paged",
        "x-role": "oncall",
        parameters: [serviceParam],
        requestBody: {
          required: true,
          content: jsonBody({
            type: "object",
            required: ["minutes", "reason"],
            properties: {
              rule: { type: "string", description: "a rule's name; absent, every rule of the service" },
              minutes: { type: "integer", minimum: 1, maximum: 10080 },
              reason: { type: "string", minLength: 3, maxLength: 500 },
            },
            additionalProperties: false,
          }),
        },
        responses: {
          "201": {
            description: "The silence",
            content: jsonBody({
              type: "object",
              properties: {
                silence: {
                  type: "object",
                  properties: {
                    id: { type: "integer" },
                    service: { type: "string" },
                    rule: { type: ["string", "null"] },
                    reason: { type: "string" },
                    createdBy: { type: "string" },
                    createdAt: { type: "integer" },
                    endsAt: { type: "integer" },
                  },
                },
              },
            }),
          },
          ...refusals,
        },
      },
    },
    "/api/v1/services/{service}/rollback-requests": {
      get: {
        summary: "Recent rollback requests of the service",
        "x-role": "viewer",
        parameters: [serviceParam],
        responses: {
          "200": {
            description: "Requests, newest first",
            content: jsonBody({
              type: "object",
              properties: { requests: { type: "array", items: ref("RollbackRequest") } },
            }),
          },
          ...refusals,
        },
      },
      post: {
        summary: "Ask for a rollback of the serving deployment; someone else approves it",
        "x-role": "oncall",
        parameters: [serviceParam],
        requestBody: {
          required: true,
          content: jsonBody({
            type: "object",
            required: ["reason"],
            properties: { reason: { type: "string", minLength: 10, maxLength: 500 } },
            additionalProperties: false,
          }),
        },
        responses: {
          "201": {
            description: "Pending request",
            content: jsonBody({
              type: "object",
              properties: { request: ref("RollbackRequest"), links: { type: "object" } },
            }),
          },
          "409": error("No warm old colour, or a request is already pending"),
          ...refusals,
        },
      },
    },
    "/api/v1/services/{service}/rollback-readiness": {
      get: {
        summary: "Whether a rollback would land on a warm, healthy colour with safe data",
        "x-role": "viewer",
        parameters: [serviceParam],
        responses: { "200": { description: "Readiness", content: jsonBody(ref("RollbackReadiness")) }, ...refusals },
      },
    },
    "/api/v1/services/{service}/deploy-lock/release": {
      post: {
        summary:
          "Force-release the service's deploy lock when its holder is dead (a killed process, a deployment that never let go); audited and notified",
        "x-role": "admin",
        parameters: [serviceParam],
        requestBody: {
          required: true,
          content: jsonBody({
            type: "object",
            required: ["reason"],
            properties: { reason: { type: "string", minLength: 10, maxLength: 500 } },
            additionalProperties: false,
          }),
        },
        responses: {
          "200": {
            description: "Released; what was held, by whom, since when",
            content: jsonBody(ref("ReleasedLock")),
          },
          "409": error(
            "Not locked, or the holder is alive (a pipeline this process runs, or a live process that renews the lease)",
          ),
          ...refusals,
        },
      },
    },
    "/api/v1/rollback-requests/{id}/approve": {
      post: {
        summary: "Approve and execute at once (never the requester; exactly once)",
        "x-role": "release_manager",
        parameters: [idParam],
        responses: {
          "200": {
            description: "Executed",
            content: jsonBody({ type: "object", properties: { request: ref("RollbackRequest") } }),
          },
          "409": error("Expired, superseded, already decided, or the rollback failed"),
          ...refusals,
        },
      },
    },
    "/api/v1/rollback-requests/{id}/reject": {
      post: {
        summary: "Reject with a reason",
        "x-role": "release_manager",
        parameters: [idParam],
        requestBody: {
          required: true,
          content: jsonBody({
            type: "object",
            required: ["reason"],
            properties: { reason: { type: "string", minLength: 3, maxLength: 500 } },
          }),
        },
        responses: {
          "200": {
            description: "Rejected",
            content: jsonBody({ type: "object", properties: { request: ref("RollbackRequest") } }),
          },
          "409": error("No longer pending"),
          ...refusals,
        },
      },
    },
    "/api/v1/deployments/{id}": {
      get: {
        summary: "A deployment with its steps",
        "x-role": "viewer",
        parameters: [idParam],
        responses: {
          "200": {
            description: "Deployment",
            content: jsonBody({
              type: "object",
              properties: {
                deployment: ref("Deployment"),
                steps: { type: "array", items: ref("Step") },
                failure: ref("Failure"),
                pull: ref("PullProgress"),
                release: {
                  type: ["object", "null"],
                  description:
                    "What the release was started with: notes (Markdown), testSummary (counts, time, slowest and failing cases), testFailureOverride",
                },
                links: ref("Links"),
              },
            }),
          },
          ...refusals,
        },
      },
    },
    "/api/v1/deployments/{id}/events": {
      get: {
        summary: "Server-Sent Events: a snapshot (deployment, steps, events) now and after every change",
        "x-role": "viewer",
        parameters: [idParam],
        responses: {
          "200": {
            description: "text/event-stream of JSON snapshots",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...refusals,
        },
      },
    },
    "/api/v1/deployments/{id}/promote": {
      post: {
        summary: "Promote a deployment waiting at the gate",
        "x-role": "release_manager",
        parameters: [idParam],
        responses: {
          "202": {
            description: "Switching",
            content: jsonBody({
              type: "object",
              properties: { id: { type: "string" }, status: { type: "string" }, links: ref("Links") },
            }),
          },
          "409": error("Not waiting for promotion, or already promoted"),
          ...refusals,
        },
      },
    },
    "/api/v1/deployments/{id}/retry-switch": {
      post: {
        summary: "Retry the switch of a deployment whose switch failed for a reason outside the release",
        description:
          "Only for status `switch_failed` (nginx refused the configuration or was not running; traffic never moved, and the checked target is kept until `keptUntil`). Runs health and smoke on the kept target again, then switches, verifies and watches as after a promote; backup and migration are not run again.",
        "x-role": "release_manager",
        parameters: [idParam],
        responses: {
          "202": {
            description: "Re-checking the target, then switching",
            content: jsonBody({
              type: "object",
              properties: { id: { type: "string" }, status: { type: "string" }, links: ref("Links") },
            }),
          },
          "409": error("Not in switch_failed, or its kept target's time is up"),
          ...refusals,
        },
      },
    },
    "/api/v1/deployments/{id}/abort": {
      post: {
        summary: "Abort a deployment before its switch",
        "x-role": "release_manager",
        parameters: [idParam],
        responses: {
          "200": {
            description:
              "Aborted; a status still `running` means the abort was requested and the target is still being stopped (the answer comes after at most 1.5 s)",
            content: jsonBody({ type: "object", properties: { id: { type: "string" }, status: { type: "string" } } }),
          },
          "409": error("Already switched or finished"),
          ...refusals,
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "An API token `glt_…`; only its SHA-256 is stored" },
      session: {
        type: "apiKey",
        in: "cookie",
        name: "greenlight_session",
        description: "Browser session; state-changing requests must be same-origin",
      },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: {
              code: { type: "string" },
              message: { type: "string" },
              holder: { type: ["object", "null"] },
              deployment: { type: ["object", "null"] },
            },
          },
        },
      },
      StartDeployment: {
        type: "object",
        required: ["image"],
        additionalProperties: false,
        properties: {
          image: { type: "string", examples: ["privatetrade:2.0.0", "registry.internal/privatetrade@sha256:…"] },
          version: { type: "string", description: "Defaults to the image tag" },
          autoPromote: { type: "boolean" },
          notes: {
            type: "string",
            maxLength: 65536,
            description: "Release notes (Markdown), shown rendered without raw HTML",
          },
          testReport: {
            type: "string",
            description: "The release's JUnit XML test report (at most 2 MiB); only its summary is kept",
          },
          testFailureOverride: {
            type: "string",
            minLength: 10,
            maxLength: 500,
            description: "Why the release may start although its test report has failures (audited)",
          },
        },
      },
      Links: {
        type: "object",
        properties: {
          self: { type: "string" },
          events: { type: "string" },
          promote: { type: "string" },
          abort: { type: "string" },
          retrySwitch: { type: "string" },
          page: { type: "string" },
        },
      },
      DeploymentStarted: {
        type: "object",
        required: ["id", "status", "links"],
        properties: {
          id: { type: "string" },
          service: { type: "string" },
          version: { type: "string" },
          toSlot: { enum: ["blue", "green"] },
          status: { type: "string" },
          links: ref("Links"),
        },
      },
      Deployment: {
        type: "object",
        properties: {
          id: { type: "string" },
          service: { type: "string" },
          image: { type: "string" },
          imageDigest: {
            type: ["string", "null"],
            description: "What the target runs: repo@sha256:… (or the local image id), pinned at the pull",
          },
          version: { type: "string" },
          status: {
            enum: [...DEPLOYMENT_STATUSES],
          },
          phase: { type: "string" },
          error: { type: ["string", "null"] },
          keptUntil: {
            type: ["integer", "null"],
            description: "switch_failed: the kept target is removed at this moment (ms since the epoch) unless retried",
          },
          fromSlot: { type: ["string", "null"] },
          toSlot: { type: "string" },
        },
      },
      Failure: {
        type: ["object", "null"],
        description:
          "For a failed deployment: the kind of failure, what it means, the next step, and what the app answered (status, first 2 KB of the body scrubbed of secrets, last log lines)",
        properties: {
          kind: {
            enum: [
              "image_missing",
              "wrong_version",
              "never_healthy",
              "smoke_failed",
              "migration_breaks_n1",
              "migration_failed",
              "nginx_config_invalid",
              "reload_not_applied",
              "docker_unreachable",
              "lock_held",
              "disk_low",
              "tests_failed",
            ],
          },
          title: { type: "string" },
          explanation: { type: "string" },
          nextStep: { type: "string" },
          phase: { type: "string" },
          answer: {
            type: "object",
            properties: {
              status: { type: ["integer", "null"] },
              body: { type: "string" },
              bodyTruncated: { type: "boolean" },
              logs: { type: "string" },
            },
          },
        },
      },
      PullProgress: {
        type: ["object", "null"],
        description: "The pull under way (null when none runs)",
        properties: {
          image: { type: "string" },
          percent: { type: "integer" },
          done: { type: "integer", description: "bytes downloaded" },
          total: { type: "integer", description: "bytes to download, as far as known" },
          layers: {
            type: "array",
            items: {
              type: "object",
              properties: {
                id: { type: "string" },
                status: { type: "string" },
                current: { type: "integer" },
                total: { type: "integer" },
              },
            },
          },
        },
      },
      Step: {
        type: "object",
        properties: {
          phase: { type: "string" },
          status: { enum: ["running", "passed", "warning", "failed", "skipped"] },
          startedAt: { type: "integer" },
          endedAt: { type: ["integer", "null"] },
          summary: { type: ["string", "null"] },
        },
      },
      RollbackRequest: {
        type: "object",
        properties: {
          id: { type: "string" },
          service: { type: "string" },
          deploymentId: { type: "string" },
          requestedBy: { type: "string" },
          reason: { type: "string" },
          status: { enum: ["pending", "approved", "rejected", "expired", "superseded", "executed", "failed"] },
          createdAt: { type: "integer" },
          expiresAt: { type: "integer" },
          decidedBy: { type: ["string", "null"] },
          decisionReason: { type: ["string", "null"] },
          result: { type: ["string", "null"] },
        },
      },
      ReleasedLock: {
        type: "object",
        required: ["service", "released"],
        properties: {
          service: { type: "string" },
          released: {
            type: "object",
            properties: {
              holder: { type: "string" },
              reason: { type: "string" },
              acquiredAt: { type: "integer" },
              expiresAt: { type: "integer" },
              ownerPid: { type: "integer" },
            },
          },
        },
      },
      RollbackReadiness: {
        type: "object",
        properties: {
          oldColourRunning: { type: "boolean" },
          oldColourHealthy: { type: "boolean" },
          backupVerified: { type: "boolean" },
          migrationCheckedAgainstOld: { type: "boolean" },
          ready: { type: "boolean" },
          problems: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
} as const;
