import { describe, expect, it } from "vitest";
import { filterSearch, parseAuditFilters, parsePage, toAuditQuery } from "@/components/audit/filters";
import { compactDetails } from "@/components/audit/details-cell";
import { envRow, globalSections, serviceSections } from "@/components/settings/config-view";
import { configSchema } from "@/lib/config/schema";
import { REDACTED } from "@/lib/config/secrets";

describe("audit filters in the URL", () => {
  it("keeps known filters, drops malformed ones, and turns UTC days into an inclusive range", () => {
    const f = parseAuditFilters({
      actor: " rm ",
      outcome: "sideways",
      from: "2026-11-01",
      to: "2026-11-02",
      target: "",
      page: "2",
    });
    expect(f).toEqual({ actor: "rm", from: "2026-11-01", to: "2026-11-02" });
    expect(toAuditQuery(f)).toMatchObject({ actor: "rm", from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 3) });
    expect(parseAuditFilters(new URLSearchParams("outcome=denied&from=yesterday"))).toEqual({ outcome: "denied" });
    expect(parsePage({ page: "3" })).toBe(3);
    expect(parsePage({ page: "-1" })).toBe(1);
    expect(filterSearch(f, { format: "csv" })).toBe("?actor=rm&from=2026-11-01&to=2026-11-02&format=csv");
  });

  it("shows details compactly", () => {
    expect(compactDetails('{"image":"privatetrade:2.0.0","noop":false,"scope":["*"]}')).toBe(
      'image=privatetrade:2.0.0 noop=false scope=["*"]',
    );
    expect(compactDetails("not json")).toBe("not json");
  });
});

describe("settings view", () => {
  it("never shows a secret env value, inline or from the environment", () => {
    expect(envRow("A", "plain")).toEqual({ label: "A", value: "plain" });
    expect(envRow("B", { value: "s3cret-inline", secret: true })).toEqual({
      label: "B",
      value: REDACTED,
      secret: true,
    });
    expect(envRow("C", { value: "shown", secret: false })).toEqual({ label: "C", value: "shown" });
    expect(envRow("D", { fromEnv: "API_KEY", secret: true })).toEqual({
      label: "D",
      value: `${REDACTED} (from $API_KEY)`,
      secret: true,
    });
  });

  it("lists a service's settings without any secret value", () => {
    process.env.GL_VIEW_TEST_REGISTRY_PASSWORD = "registry-password-value";
    const config = configSchema.parse({
      nginx: { mainConfig: "/x/nginx.conf", upstreamDir: "/x/up", lbUrl: "http://127.0.0.1:1" },
      registries: [
        { host: "registry.internal", username: "ci", password: { fromEnv: "GL_VIEW_TEST_REGISTRY_PASSWORD" } },
      ],
      services: [
        {
          name: "shop",
          image: "shop",
          slots: { blue: { port: 3000 }, green: { port: 3001 } },
          container: { env: { TOKEN: { value: "very-secret-value" }, MODE: "fast" } },
          notifications: [{ type: "slack", webhookUrl: "https://hooks.slack.example/T000/B000/xyzsecret" }],
        },
      ],
    });
    const text = JSON.stringify([serviceSections(config.services[0]!), globalSections(config)]);
    expect(text).not.toContain("very-secret-value");
    expect(text).not.toContain("xyzsecret");
    expect(text).toContain("fast");
    expect(text).toContain(REDACTED);
    expect(text).toContain("from $GL_VIEW_TEST_REGISTRY_PASSWORD");
    expect(text).not.toContain("registry-password-value");
  });
});
