import Markdown, { type Components } from "react-markdown";

/**
 * Links keep only what react-markdown's URL filter lets through (http, https, mailto and relative ones); a link it
 * emptied (javascript:, data:, vbscript:) is shown as its text. Images are shown as their alt text, never fetched.
 */
const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} rel="noopener noreferrer nofollow" className="text-sky-300 underline">
        {children}
      </a>
    ) : (
      <span data-testid="unsafe-link">{children}</span>
    ),
  img: ({ alt }) => <span className="text-zinc-400">[image: {alt || "no description"}]</span>,
};

/** Release notes as Markdown, rendered without raw HTML: tags in the text are shown as text, never run. */
export function ReleaseNotes({ markdown }: { markdown: string }) {
  return (
    <div
      data-testid="release-notes"
      className="space-y-2 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4 text-sm text-zinc-200 [&_code]:font-mono [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-zinc-950 [&_pre]:p-2 [&_ul]:list-disc"
    >
      <Markdown components={components}>{markdown}</Markdown>
    </div>
  );
}
