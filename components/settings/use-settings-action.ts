"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
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

/** Keeps a settings form on the page and reads its fields as text, each with a default when it is missing. */
export function submitted(e: FormEvent<HTMLFormElement>) {
  e.preventDefault();
  const form = e.currentTarget;
  const data = new FormData(form);
  return { field: (name: string, fallback: string) => String(data.get(name) ?? fallback), reset: () => form.reset() };
}
