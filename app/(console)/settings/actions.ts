"use server";

import { z } from "zod";
import { audited, verbAudited } from "@/lib/actions/audited";
import { action } from "@/lib/actions/safe-action";
import { createApiToken, createApiTokenInput } from "@/lib/api-tokens/create";
import { revokeApiToken } from "@/lib/api-tokens/revoke";
import { createUser } from "@/lib/auth/create-user";
import { passwordSchema, roleSchema, usernameSchema } from "@/lib/auth/credentials";
import { setUserDisabled } from "@/lib/auth/disable-user";
import { setRole } from "@/lib/auth/set-role";
import { getConfig } from "@/lib/config/load";
import { reloadConfig } from "@/lib/config/reload";
import { getEngineContext } from "@/lib/deploy/engine";

import { getDb } from "@/lib/db/client";
import { sendTestNotification } from "@/lib/notify/send-test";

const channelInput = z.object({ service: z.string().min(1).max(40), channel: z.string().min(1).max(100) });

export const sendTestNotificationAction = action(
  "release_manager",
  channelInput,
  ({ service, channel }, { user }) =>
    audited(
      user,
      { action: "settings.test_notification", target: `channel:${service}/${channel}` },
      () => sendTestNotification(getDb(), getConfig(), service, channel),
      (r) => (r.ok ? { reason: "Test message delivered" } : { outcome: "failed", reason: r.error }),
    ),
  "settings.test_notification",
);

const newUser = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema });

export const createUserAction = action(
  "admin",
  newUser,
  (input, { user }) =>
    audited(
      user,
      { action: "user.create", target: `user:${input.username}`, details: { role: input.role } },
      async () => {
        const created = await createUser(getDb(), input);
        return { username: created.username, role: created.role };
      },
    ),
  "user.create",
);

export const setRoleAction = action(
  "admin",
  z.object({ username: usernameSchema, role: roleSchema }),
  ({ username, role }, { user }) =>
    audited(
      user,
      { action: "user.set_role", target: `user:${username}`, details: { role } },
      () => setRole(getDb(), username, role, user.username),
      (r) => ({ reason: `${r.previous} -> ${r.role}`, details: { previous: r.previous } }),
    ),
  "user.set_role",
);

export const setUserDisabledAction = action(
  "admin",
  z.object({ username: usernameSchema, disabled: z.boolean() }),
  ({ username, disabled }, { user }) =>
    audited(user, { action: disabled ? "user.disable" : "user.enable", target: `user:${username}` }, () => {
      setUserDisabled(getDb(), username, disabled, user.username);
      return { username, disabled };
    }),
  "user.set_disabled",
);

/** The plain token is in the answer once; the page shows it with a copy button and never again. */
export const createApiTokenAction = action(
  "admin",
  createApiTokenInput,
  (input, { user }) => createApiToken(getDb(), input, user),
  "api_token.create",
);

export const revokeApiTokenAction = action(
  "admin",
  z.object({ id: z.coerce.number().int().positive() }),
  ({ id }, { user }) => {
    revokeApiToken(getDb(), id, user);
    return { revoked: id };
  },
  "api_token.revoke",
);

/** Reads greenlight.yaml again (as SIGHUP does): reloadConfig audits what it did; a refusal is audited here. */
export const reloadConfigAction = action(
  "admin",
  z.object({}),
  (_input, { user }) =>
    verbAudited(user, { action: "config.reload", target: "config" }, (actor) =>
      reloadConfig(getEngineContext(), actor),
    ),
  "config.reload",
);
