import { describe, expect, it } from "vitest";
import { GET as consoleService } from "@/app/api/services/[name]/route";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { apiError } from "./respond";

describe("the one error body", () => {
  it("is { error: { code, message } } with the error's own status, never cached", async () => {
    const res = apiError(new NotFoundError("No service named shop"));
    expect(res.status).toBe(404);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No service named shop" } });
  });

  it("says nothing of an unexpected error but that it happened, and keeps a retry-after", async () => {
    const res = apiError(new Error("SQLITE_BUSY at /var/lib/greenlight/greenlight.db"));
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal");
    expect(body.error.message).not.toMatch(/SQLITE|greenlight\.db/);
    const limited = Object.assign(new ForbiddenError("Too many attempts"), { retryAfterSeconds: 30 });
    expect(apiError(limited).headers.get("retry-after")).toBe("30");
  });

  it("is what a console route answers too, not only /api/v1", async () => {
    // No session: the console's own route refuses in the same shape as the v1 API.
    const res = await consoleService(new Request("http://127.0.0.1/api/services/shop"), {
      params: Promise.resolve({ name: "shop" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });
});
