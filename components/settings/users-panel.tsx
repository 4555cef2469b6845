"use client";

import { useState } from "react";
import { setRoleAction, setUserDisabledAction } from "@/app/(console)/settings/actions";
import type { UserSummary } from "@/lib/auth/list-users";
import { ErrorText } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";
import { AddUserForm } from "./add-user-form";
import { ROLE_OPTIONS, SELECT_CLASS } from "./field";
import { useSettingsAction } from "./use-settings-action";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-400";

function UserRow({ user, self }: { user: UserSummary; self: boolean }) {
  const [role, setRole] = useState(user.role);
  const [confirm, setConfirm] = useState(false);
  const changeRole = useSettingsAction(setRoleAction);
  const toggle = useSettingsAction(setUserDisabledAction);
  const disabled = user.disabledAt !== null;
  const error = changeRole.error?.message ?? (confirm ? null : toggle.error?.message);
  return (
    <tr data-testid={`user-${user.username}`}>
      <td className="px-3 py-2 font-medium text-zinc-100">
        {user.username}
        {self ? <span className="ml-2 text-xs text-zinc-400">(you)</span> : null}
      </td>
      <td className="px-3 py-2">
        <div className="flex items-center gap-2">
          <label htmlFor={`role-${user.id}`} className="sr-only">
            Role of {user.username}
          </label>
          <select
            id={`role-${user.id}`}
            value={role}
            disabled={self}
            onChange={(e) => setRole(e.target.value as typeof role)}
            className={SELECT_CLASS.replace("w-full", "w-44")}
          >
            {ROLE_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {role !== user.role ? (
            <Button
              variant="secondary"
              disabled={changeRole.isPending}
              onClick={() => changeRole.mutate({ username: user.username, role })}
            >
              Save role
            </Button>
          ) : null}
        </div>
        {error ? <ErrorText className="mt-2">{error}</ErrorText> : null}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">
        {disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
      </td>
      <td className="px-3 py-2 text-sm whitespace-nowrap text-zinc-300">
        <Time at={user.createdAt} />
      </td>
      <td className="px-3 py-2 text-right">
        {self ? null : disabled ? (
          <Button
            variant="secondary"
            disabled={toggle.isPending}
            onClick={() => toggle.mutate({ username: user.username, disabled: false })}
          >
            Enable
          </Button>
        ) : (
          <Button variant="danger" onClick={() => setConfirm(true)}>
            Disable
          </Button>
        )}
        <ConfirmDialog
          open={confirm}
          title={`Disable ${user.username}?`}
          confirmLabel={`Disable ${user.username}`}
          confirmVariant="danger"
          pending={toggle.isPending}
          error={toggle.error?.message}
          onClose={() => (setConfirm(false), toggle.reset())}
          onConfirm={() =>
            toggle.mutate({ username: user.username, disabled: true }, { onSuccess: () => setConfirm(false) })
          }
        >
          <p>
            {user.username} is signed out everywhere at once and cannot sign in until an admin enables the account
            again. Their audit entries stay.
          </p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

/** Admins only: every user with role and state (never a password hash), and a form to add one. */
export function UsersPanel({ users, currentUsername }: { users: UserSummary[]; currentUsername: string }) {
  return (
    <div className="space-y-4">
      <div
        className="relative overflow-x-auto rounded-lg border border-zinc-800"
        tabIndex={0}
        role="region"
        aria-label="Users"
      >
        <table className="min-w-full divide-y divide-zinc-800 text-sm" data-testid="users-table">
          <thead className="bg-zinc-900/80">
            <tr>
              <th scope="col" className={TH}>
                User
              </th>
              <th scope="col" className={TH}>
                Role
              </th>
              <th scope="col" className={TH}>
                State
              </th>
              <th scope="col" className={TH}>
                Created
              </th>
              <th scope="col" className={TH}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-800/70">
            {users.map((u) => (
              <UserRow key={`${u.id}-${u.role}-${u.disabledAt ?? 0}`} user={u} self={u.username === currentUsername} />
            ))}
          </tbody>
        </table>
      </div>
      <AddUserForm />
    </div>
  );
}
