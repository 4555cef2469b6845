export default function Loading() {
  return (
    <main className="space-y-4" aria-busy="true">
      <div className="h-8 w-48 animate-pulse rounded bg-zinc-800" />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {[0, 1].map((i) => (
          <div key={i} className="h-48 animate-pulse rounded-lg border border-zinc-800 bg-zinc-900/60" />
        ))}
      </div>
      <p className="sr-only">Loading…</p>
    </main>
  );
}
