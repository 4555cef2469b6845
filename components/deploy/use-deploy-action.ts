"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActionResult } from "@/lib/actions/safe-action";

/** Runs a server action as a mutation: `{ ok: false }` becomes the mutation's error, success refreshes the listed queries. */
export function useDeployAction<I, T>(
  run: (input: I) => Promise<ActionResult<T>>,
  invalidate: readonly (readonly unknown[])[],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: I) => {
      const result = await run(input);
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    onSettled: () => Promise.all(invalidate.map((queryKey) => client.invalidateQueries({ queryKey: [...queryKey] }))),
  });
}
