import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { shortReason } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/input";
import { RoleSelect } from "@/components/ui/role-select";

describe("RoleSelect", () => {
  it("offers the four roles weakest first under their on-screen names, and passes its attributes on", () => {
    const html = renderToStaticMarkup(createElement(RoleSelect, { id: "r", name: "role", defaultValue: "admin" }));
    expect([...html.matchAll(/<option value="(\w+)"[^>]*>([^<]+)<\/option>/g)].map((m) => [m[1], m[2]])).toEqual([
      ["viewer", "Viewer"],
      ["oncall", "On-call"],
      ["release_manager", "Release manager"],
      ["admin", "Admin"],
    ]);
    expect(html).toMatch(/^<select class="[^"]*w-full[^"]*" id="r" name="role">/);
    expect(html).toContain('<option value="admin" selected="">Admin</option>');
  });

  it("narrow fits a table cell", () => {
    const html = renderToStaticMarkup(createElement(RoleSelect, { id: "r", narrow: true }));
    expect(html).toContain("w-44");
    expect(html).not.toContain("w-full");
  });
});

describe("TextField", () => {
  it("ties its label to the input and draws children under it", () => {
    const html = renderToStaticMarkup(
      createElement(TextField, { id: "f-x", label: "Actor", name: "actor" }, createElement("datalist", { id: "l" })),
    );
    expect(html).toMatch(
      /^<div class="flex flex-col gap-1"><label class="[^"]*" for="f-x">Actor<\/label><input class="[^"]*" id="f-x" name="actor"\/><datalist id="l"><\/datalist><\/div>$/,
    );
  });
});

describe("shortReason", () => {
  it("refuses fewer than ten characters once trimmed, like the server", () => {
    expect(shortReason("  long enough ")).toBeNull();
    expect(shortReason("  123456789  ")).toBe("Give a reason of at least 10 characters.");
    expect(shortReason("")).toBe("Give a reason of at least 10 characters.");
    expect(shortReason("1234567890")).toBeNull();
  });
});
