import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { imageMatchesRepository, parseImageRef } from "./image-ref";

describe("parseImageRef", () => {
  it.each([
    ["privatetrade:1.9.0", { ref: "privatetrade:1.9.0", repository: "privatetrade", tag: "1.9.0" }],
    ["privatetrade", { ref: "privatetrade", repository: "privatetrade" }],
    ["library/node:20-slim", { ref: "library/node:20-slim", repository: "library/node", tag: "20-slim" }],
    [
      "registry.example.com:5000/team/app:v2.0.0",
      {
        ref: "registry.example.com:5000/team/app:v2.0.0",
        registry: "registry.example.com:5000",
        repository: "registry.example.com:5000/team/app",
        tag: "v2.0.0",
      },
    ],
    ["localhost/app:1", { ref: "localhost/app:1", registry: "localhost", repository: "localhost/app", tag: "1" }],
    [
      `app@sha256:${"a".repeat(64)}`,
      { ref: `app@sha256:${"a".repeat(64)}`, repository: "app", digest: `sha256:${"a".repeat(64)}` },
    ],
    [
      `app:1.0@sha256:${"0".repeat(64)}`,
      { ref: `app:1.0@sha256:${"0".repeat(64)}`, repository: "app", tag: "1.0", digest: `sha256:${"0".repeat(64)}` },
    ],
    ["my_app__x/a-b.c:_t", { ref: "my_app__x/a-b.c:_t", repository: "my_app__x/a-b.c", tag: "_t" }],
  ])("accepts %s", (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it.each([
    ["", /empty/],
    [" app:1", /whitespace/],
    ["app:1\n", /whitespace/],
    ["a;rm -rf /", /whitespace|not allowed/],
    ["a;rm", /not allowed/],
    ["app$(id)", /not allowed/],
    ["app`id`", /not allowed/],
    ["app|x", /not allowed/],
    ["--privileged", /must not start with '-'/],
    ["-app", /must not start with '-'/],
    ["PrivateTrade:1.0", /lower-case/],
    ["team/App", /lower-case/],
    [`app:${"a".repeat(129)}`, /longer than 128/],
    ["app:.hidden", /tag must be/],
    ["app:", /tag must be/],
    ["app@sha256:abc", /digest/],
    [`app@md5:${"a".repeat(64)}`, /digest/],
    ["app//x", /empty component/],
    ["app-:1", /component "app-"/],
    ["/app", /empty component/],
  ])("rejects %j", (ref, message) => {
    let caught: unknown;
    try {
      parseImageRef(ref);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as Error).message).toMatch(message);
  });

  it("accepts a tag of exactly 128 characters", () => {
    expect(parseImageRef(`app:${"a".repeat(128)}`).tag).toHaveLength(128);
  });

  it("enforces the registry allowlist only for references that name a registry", () => {
    const allow = ["registry.example.com"];
    expect(parseImageRef("registry.example.com/app:1", allow).registry).toBe("registry.example.com");
    expect(() => parseImageRef("evil.example.org/app:1", allow)).toThrow(
      /registry "evil.example.org" is not on the allowed list/,
    );
    expect(() => parseImageRef("registry.example.com:5000/app:1", allow)).toThrow(/not on the allowed list/);
    expect(parseImageRef("privatetrade:2.0.0", allow).repository).toBe("privatetrade");
    expect(parseImageRef("evil.example.org/app:1", []).registry).toBe("evil.example.org");
  });

  it("does not echo unprintable input", () => {
    expect(() => parseImageRef("app\u0000x")).toThrow(/^Invalid image reference the image reference:/);
  });
});

describe("imageMatchesRepository", () => {
  it("matches tags and digests of the same repository", () => {
    expect(imageMatchesRepository("privatetrade:1.9.0", "privatetrade")).toBe(true);
    expect(imageMatchesRepository("registry.example.com/team/app:2", "registry.example.com/team/app")).toBe(true);
    expect(imageMatchesRepository("docker.io/library/node:20", "node")).toBe(true);
  });
  it("does not match other repositories or invalid references", () => {
    expect(imageMatchesRepository("privatetrade-x:1.9.0", "privatetrade")).toBe(false);
    expect(imageMatchesRepository("other/privatetrade:1", "privatetrade")).toBe(false);
    expect(imageMatchesRepository("a;rm -rf /", "a")).toBe(false);
  });
});
