import { redirect } from "next/navigation";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/types";
import { ConflictError } from "@/lib/errors";
import { createActionHelpers } from "./safe-action";

const viewer: SessionUser = { id: 1, username: "viewer", role: "viewer" };
const admin: SessionUser = { id: 2, username: "admin", role: "admin" };
const as = (user: SessionUser | null) => createActionHelpers(async () => user);
const schema = z.object({ service: z.string().min(1), count: z.coerce.number().int().positive() });

describe("safe action", () => {
  it("passes validated input and the user to the handler", async () => {
    const act = as(admin).action(
      "release_manager",
      schema,
      (input, { user }) => `${user.username}:${input.service}:${input.count}`,
    );
    expect(await act({ service: "privatetrade", count: 2 })).toEqual({ ok: true, data: "admin:privatetrade:2" });
  });

  it("refuses no session and too weak a role before looking at the input", async () => {
    let called = false;
    const handler = () => {
      called = true;
    };
    expect(await as(null).action("viewer", schema, handler)({ nonsense: true } as never)).toEqual({
      ok: false,
      error: "Sign in first",
      code: "unauthorized",
    });
    expect(await as(viewer).action("admin", schema, handler)({ service: "x", count: 1 })).toEqual({
      ok: false,
      error: "This needs the admin or higher role; you are viewer",
      code: "forbidden",
    });
    expect(called).toBe(false);
  });

  it("reports invalid input with the field name", async () => {
    const result = await as(admin).action("viewer", schema, () => 1)({ service: "", count: 1 });
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    expect(!result.ok && result.error).toMatch(/^service: /);
  });

  it("reads FormData in formAction", async () => {
    const form = new FormData();
    form.set("service", "privatetrade");
    form.set("count", "3");
    form.set("$ACTION_ID_abc", "");
    const act = as(admin).formAction("oncall", schema, (input) => input);
    expect(await act(null, form)).toEqual({ ok: true, data: { service: "privatetrade", count: 3 } });
  });

  it("returns typed errors' messages and hides unexpected ones", async () => {
    const conflict = as(admin).action("viewer", z.object({}), () => {
      throw new ConflictError("A deployment of privatetrade is already running");
    });
    expect(await conflict({})).toEqual({
      ok: false,
      error: "A deployment of privatetrade is already running",
      code: "conflict",
    });
    const crash = as(admin).action("viewer", z.object({}), () => {
      throw new Error("SQLITE_CORRUPT at /secret/path");
    });
    const result = await crash({});
    expect(result).toEqual({
      ok: false,
      error: "Something went wrong; the details are in the server log.",
      code: "internal",
    });
  });

  it("lets redirect() through", async () => {
    const go = as(admin).action("viewer", z.object({}), () => redirect("/services/privatetrade"));
    await expect(go({})).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
  });

  it("tells the denied hook who was refused and for which action, and only then", async () => {
    const denials: string[] = [];
    const hook = (user: SessionUser | null) =>
      createActionHelpers(
        async () => user,
        ({ user: who, name, error }) => {
          denials.push(`${who?.username ?? "anonymous"}:${name}:${error.code}`);
        },
      );
    await hook(viewer).action("admin", z.object({}), () => 1, "user.create")({});
    await hook(null).action("viewer", z.object({}), () => 1)({});
    await hook(admin).action("admin", z.object({}), () => 1, "user.create")({});
    expect(denials).toEqual(["viewer:user.create:forbidden", "anonymous:server_action:unauthorized"]);
  });
});
