"use client";

import { useEffect, useRef, useState } from "react";

export type StreamState = "connecting" | "live" | "reconnecting";

/**
 * Follows a Server-Sent Events URL, handing each parsed message to `onMessage`. The browser retries dropped
 * connections itself; when it gives up (an HTTP error such as 401 or a restart) this reconnects with backoff.
 */
export function useEventSource<T>(
  url: string | null,
  onMessage: (data: T) => void,
  onProblem?: (message: string) => void,
): StreamState {
  const handler = useRef(onMessage);
  const problem = useRef(onProblem);
  useEffect(() => {
    handler.current = onMessage;
    problem.current = onProblem;
  });
  const [state, setState] = useState<StreamState>("connecting");

  useEffect(() => {
    if (!url) return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = 1_000;
    let stopped = false;
    const connect = () => {
      source = new EventSource(url);
      source.onmessage = (event) => {
        delay = 1_000;
        setState("live");
        handler.current(JSON.parse(event.data) as T);
      };
      // access-ended: signed out, disabled or demoted since the stream opened; expired: its lifetime cap. The
      // server closes the stream after either; reconnecting authenticates again.
      for (const name of ["problem", "access-ended", "expired"]) {
        source.addEventListener(name, (event) => {
          const data = JSON.parse((event as MessageEvent<string>).data) as { error: string };
          if (name !== "expired") problem.current?.(data.error);
        });
      }
      source.onerror = () => {
        setState("reconnecting");
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        source.close();
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [url]);
  return state;
}
