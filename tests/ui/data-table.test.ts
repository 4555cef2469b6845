import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, type Column } from "@/components/ui/data-table";

type Row = { id: number; name: string };
const columns: Column<Row>[] = [
  { header: "Name", className: "font-medium", cell: (r) => r.name },
  { header: "Actions", hiddenHeader: true, cell: (r) => `edit ${r.id}` },
];
const html = (props: Partial<Parameters<typeof DataTable<Row>>[0]>) =>
  renderToStaticMarkup(
    createElement(DataTable<Row>, { columns, rows: [], rowKey: (r: Row) => r.id, ...props } as Parameters<
      typeof DataTable<Row>
    >[0]),
  );

describe("DataTable", () => {
  it("draws one header row of column headers, a hidden header for screen readers only, and a cell per column", () => {
    const out = html({ rows: [{ id: 1, name: "alice" }], testId: "people" });
    expect(out).toContain('data-testid="people"');
    expect(out.match(/<th scope="col"/g)).toHaveLength(2);
    expect(out).toContain('<span class="sr-only">Actions</span>');
    expect(out).toContain('<td class="px-3 py-2 font-medium">alice</td>');
    expect(out).toContain(">edit 1</td>");
  });

  it("shows the empty state instead of the table; a string becomes a muted paragraph", () => {
    expect(html({ empty: "Nobody yet." })).toBe('<p class="text-sm text-zinc-400">Nobody yet.</p>');
    expect(html({ empty: createElement("p", { "data-testid": "none" }, "none") })).toBe(
      '<p data-testid="none">none</p>',
    );
    expect(html({})).toContain("<tbody");
  });

  it("makes the scroll region focusable and named only when it has a label", () => {
    const named = html({ rows: [{ id: 1, name: "a" }], label: "People" });
    expect(named).toMatch(
      /^<div class="relative overflow-x-auto border border-zinc-800 rounded-lg" tabindex="0" role="region" aria-label="People">/,
    );
    expect(html({ rows: [{ id: 1, name: "a" }] })).not.toContain("role=");
  });

  it("passes row attributes and a shared cell class, and draws rows itself with renderRow", () => {
    const out = html({
      rows: [{ id: 7, name: "bob" }],
      rowProps: (r) => ({ "data-testid": `row-${r.id}` }),
      cellClassName: "align-top",
    });
    expect(out).toContain('data-testid="row-7"');
    expect(out).toContain('<td class="px-3 py-2 align-top font-medium">bob</td>');
    const custom = html({
      rows: [{ id: 8, name: "eve" }],
      renderRow: (r) => createElement("tr", { "data-own": r.name }, createElement("td", null, r.name)),
    });
    expect(custom).toContain('<tr data-own="eve"><td>eve</td></tr>');
  });

  it("the compact variant has no frame around it", () => {
    expect(html({ rows: [{ id: 1, name: "a" }], variant: "compact" })).toMatch(
      /^<table class="w-full text-left text-sm">/,
    );
  });
});
