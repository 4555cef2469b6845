import { linkableSource, type OciLabels } from "@/lib/release/oci-labels";

/** The image's own OCI annotations, and a warning when its version label disagrees with the release's version. */
export function ImageLabels({ labels, version }: { labels: OciLabels; version: string }) {
  const source = linkableSource(labels.source);
  return (
    <div className="space-y-1 text-sm" data-testid="image-labels">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        {labels.title ? (
          <>
            <dt className="text-zinc-400">Title</dt>
            <dd className="text-zinc-100">{labels.title}</dd>
          </>
        ) : null}
        {labels.version ? (
          <>
            <dt className="text-zinc-400">Image version</dt>
            <dd className="font-mono text-zinc-100">{labels.version}</dd>
          </>
        ) : null}
        {labels.revision ? (
          <>
            <dt className="text-zinc-400">Revision</dt>
            <dd className="font-mono text-zinc-100" title={labels.revision}>
              {labels.revision.slice(0, 12)}
            </dd>
          </>
        ) : null}
        {labels.source ? (
          <>
            <dt className="text-zinc-400">Source</dt>
            <dd className="break-all text-zinc-100">
              {source ? (
                <a href={source} rel="noopener noreferrer nofollow" className="text-sky-300 underline">
                  {source}
                </a>
              ) : (
                labels.source
              )}
            </dd>
          </>
        ) : null}
      </dl>
      {labels.version && labels.version !== version ? (
        <p className="text-amber-200" data-testid="image-version-mismatch">
          The image says it is {labels.version}; this release expects {version}.
        </p>
      ) : null}
    </div>
  );
}
