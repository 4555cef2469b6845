"use client";

import { useState } from "react";
import { createUserAction } from "@/app/(console)/settings/actions";
import { ErrorText } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label, TextField } from "@/components/ui/input";
import { RoleSelect } from "@/components/ui/role-select";
import { submitted, useSettingsAction } from "./use-settings-action";

export function AddUserForm() {
  const create = useSettingsAction(createUserAction);
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      aria-label="Add a user"
      className="grid gap-3 sm:grid-cols-4 sm:items-end"
      onSubmit={(e) => {
        const { field, reset } = submitted(e);
        setDone(null);
        create.mutate(
          {
            username: field("username", ""),
            password: field("password", ""),
            role: field("role", "viewer") as "viewer",
          },
          { onSuccess: (u) => (setDone(`Added ${u.username} as ${u.role}.`), reset()) },
        );
      }}
    >
      <TextField
        id="new-username"
        label="Username"
        name="username"
        required
        minLength={2}
        maxLength={32}
        autoComplete="off"
      />
      <TextField
        id="new-password"
        label="Initial password"
        name="password"
        type="password"
        required
        minLength={8}
        autoComplete="new-password"
      />
      <div className="flex flex-col gap-1">
        <Label htmlFor="new-role">Role</Label>
        <RoleSelect id="new-role" name="role" defaultValue="viewer" />
      </div>
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add user"}
      </Button>
      <div className="sm:col-span-4" aria-live="polite">
        {create.error ? <ErrorText>{create.error.message}</ErrorText> : null}
        {done ? <p className="text-sm text-emerald-300">{done}</p> : null}
      </div>
    </form>
  );
}
