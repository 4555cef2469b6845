type Answer = { status: number | null; body: string; bodyTruncated?: boolean; logs?: string };

/** What the app answered, as plain text: the body is never rendered as HTML, whatever it holds. */
export function AppAnswerView({ answer }: { answer: Answer }) {
  return (
    <div className="space-y-2" data-testid="app-answer">
      <p className="text-xs text-zinc-400">
        The app answered{" "}
        {answer.status === null ? "nothing (no HTTP answer)" : <span className="font-mono">{answer.status}</span>}
        {answer.bodyTruncated ? " (first 2 KB of the body)" : ""}
      </p>
      {answer.body ? (
        <pre className="max-h-60 overflow-auto rounded bg-zinc-950 p-3 text-xs whitespace-pre-wrap break-words text-zinc-300">
          {answer.body}
        </pre>
      ) : null}
      {answer.logs ? (
        <>
          <p className="text-xs text-zinc-400">Its last log lines</p>
          <pre className="max-h-60 overflow-auto rounded bg-zinc-950 p-3 text-xs leading-5 text-zinc-300">
            {answer.logs}
          </pre>
        </>
      ) : null}
    </div>
  );
}
