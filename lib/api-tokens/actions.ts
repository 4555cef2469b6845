"use server";

import { z } from "zod";
import { action } from "@/lib/actions/safe-action";
import { getDb } from "@/lib/db/client";
import { createApiToken, createApiTokenInput } from "./create";
import { listApiTokens } from "./list";
import { revokeApiToken } from "./revoke";

/** Admin only. The plain token is in the result once; show it and tell the admin to copy it now. */
export const createApiTokenAction = action("admin", createApiTokenInput, (input, { user }) => createApiToken(getDb(), input, user));

export const revokeApiTokenAction = action("admin", z.object({ id: z.coerce.number().int().positive() }), (input, { user }) => {
  revokeApiToken(getDb(), input.id, user);
  return { revoked: input.id };
});

export const listApiTokensAction = action("admin", z.object({}), () => listApiTokens(getDb()));
