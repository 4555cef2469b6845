import type { Section } from "./config-view";

/** Read-only settings as labelled values; secrets arrive here already redacted. */
export function SectionList({ sections }: { sections: Section[] }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {sections.map((section) => (
        <section key={section.title} aria-label={section.title} className="rounded-md border border-zinc-800 p-4">
          <h3 className="mb-2 text-sm font-semibold text-zinc-200">{section.title}</h3>
          {section.rows.length === 0 ? (
            <p className="text-sm text-zinc-400">None</p>
          ) : (
            <dl className="grid grid-cols-[minmax(7rem,auto)_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
              {section.rows.map((row) => (
                <div key={row.label} className="contents">
                  <dt className="text-zinc-400">{row.label}</dt>
                  <dd
                    className="font-mono text-xs leading-5 break-all text-zinc-100"
                    data-secret={row.secret ? "true" : undefined}
                  >
                    {row.value}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      ))}
    </div>
  );
}
