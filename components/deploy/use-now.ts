"use client";

import { useEffect, useState } from "react";

/** The current time, ticking every second in the browser; null on the server and until the component has mounted. */
export function useNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1_000);
    return () => (clearTimeout(first), clearInterval(timer));
  }, []);
  return now;
}
