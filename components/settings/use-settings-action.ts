"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/actions/safe-action";

/** Runs a settings server action as a mutation; `{ ok: false }` becomes its error, success re-renders the page's server parts. */
export function useSettingsAction<I, T>(run: (input: I) => Promise<ActionResult<T>>) {
  const router = useRouter();
  return useMutation({
    mutationFn: async (input: I) => {
      const result = await run(input);
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    onSuccess: () => router.refresh(),
  });
}
