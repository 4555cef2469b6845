import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ReleaseNotes } from "@/components/release/release-notes";
import { ReleasePanel } from "@/components/release/release-panel";
import { parseJUnit } from "@/lib/release/junit";

const notes = (markdown: string) => renderToStaticMarkup(createElement(ReleaseNotes, { markdown }));

describe("release notes", () => {
  it("renders Markdown: headings, lists, emphasis, code and web links", () => {
    const out = notes(
      "# 2.0.0\n\n- **CSV** export\n- `GET /api/orders` pages\n\nSee [the plan](https://example.com/plan).",
    );
    expect(out).toContain("<h1>2.0.0</h1>");
    expect(out).toContain("<li><strong>CSV</strong> export</li>");
    expect(out).toContain("<code>GET /api/orders</code>");
    expect(out).toContain('<a href="https://example.com/plan" rel="noopener noreferrer nofollow"');
  });

  it("shows raw HTML as text and never renders a script, an event handler or a javascript: link", () => {
    const out = notes(
      [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(2)">',
        "[click](javascript:alert(3)) [also](JaVaScRiPt:alert(4)) [data](data:text/html,<b>x</b>) [vb](vbscript:x)",
        "![pixel](https://tracker.example/p.gif)",
        '<a href="javascript:alert(5)">raw</a>',
      ].join("\n\n"),
    );
    // No tag carries a handler or a script URL; the escaped text may still say "onerror".
    expect(out).not.toMatch(/<script|<img|<[^>]*\bonerror|href=""/i);
    expect(out.toLowerCase()).not.toContain('href="javascript');
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out.match(/<span data-testid="unsafe-link">/g)).toHaveLength(4);
    expect(out).toContain("[image: pixel]");
  });
});

describe("the release panel", () => {
  it("shows the counts, the failing and the slowest cases, and the override's reason", () => {
    const xml = fs.readFileSync(path.join(process.cwd(), "lib/release/fixtures/pytest.xml"), "utf8");
    const out = renderToStaticMarkup(
      createElement(ReleasePanel, {
        attachments: {
          deploymentId: "d1",
          notes: null,
          testSummary: parseJUnit(xml),
          testFailureOverride: "known rounding bug",
          createdAt: 0,
        },
      }),
    );
    expect(out).toContain("2 failed</span>");
    expect(out).toMatch(/data-testid="tests-passed"><span[^>]*>3<\/span> passed/);
    expect(out).toContain("tests.test_orders.test_order_total[eur]");
    expect(out).toContain("AssertionError: assert 10.5 == 10.0");
    expect(out).toContain("Started despite failed tests: known rounding bug");
    expect(out).toContain("1.204 s");
    expect(out).toContain("No release notes were attached.");
  });

  it("says when nothing was attached", () => {
    const out = renderToStaticMarkup(createElement(ReleasePanel, { attachments: null }));
    expect(out).toContain("No test report was attached.");
    expect(out).toContain("No release notes were attached.");
  });
});

describe("the image's labels on the release panel", () => {
  it("shows them, links only a web source, and warns when the image's version is not the release's", () => {
    const out = renderToStaticMarkup(
      createElement(ReleasePanel, {
        attachments: null,
        version: "2.0.0",
        labels: { title: "PrivateTrade", version: "2.0.1", revision: "4f1c2a9e8b7d6c5a", source: "javascript:x" },
      }),
    );
    expect(out).toContain("PrivateTrade");
    expect(out).toContain('title="4f1c2a9e8b7d6c5a">4f1c2a9e8b7d</dd>');
    expect(out).not.toContain("<a ");
    expect(out).toContain("The image says it is 2.0.1; this release expects 2.0.0.");
    const same = renderToStaticMarkup(
      createElement(ReleasePanel, {
        attachments: null,
        version: "2.0.0",
        labels: { version: "2.0.0", source: "https://git.example.com/p" },
      }),
    );
    expect(same).toContain('<a href="https://git.example.com/p"');
    expect(same).not.toContain("image-version-mismatch");
  });
});
