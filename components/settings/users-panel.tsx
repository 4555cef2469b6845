"use client";

import { useState } from "react";
import { setRoleAction, setUserDisabledAction } from "@/app/(console)/settings/actions";
import type { UserSummary } from "@/lib/auth/list-users";
import { ErrorText } from "@/components/ui/alert";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { CELL, DataTable, type Column } from "@/components/ui/data-table";
import { ConfirmDialog } from "@/components/ui/dialog";
import { RoleSelect } from "@/components/ui/role-select";
import { Time } from "@/components/ui/time";
import { AddUserForm } from "./add-user-form";
import { useSettingsAction } from "./use-settings-action";

/** Headers only: each UserRow draws its own cells, since the role picker and the disable dialog share its state. */
const COLUMNS: Column<UserSummary>[] = [
  { header: "User" },
  { header: "Role" },
  { header: "State" },
  { header: "Created" },
  { header: "Actions", hiddenHeader: true },
];

function UserRow({ user, self }: { user: UserSummary; self: boolean }) {
  const [role, setRole] = useState(user.role);
  const [confirm, setConfirm] = useState(false);
  const changeRole = useSettingsAction(setRoleAction);
  const toggle = useSettingsAction(setUserDisabledAction);
  const disabled = user.disabledAt !== null;
  const error = changeRole.error?.message ?? (confirm ? null : toggle.error?.message);
  return (
    <tr data-testid={`user-${user.username}`}>
      <td className={`${CELL} font-medium text-zinc-100`}>
        {user.username}
        {self ? <span className="ml-2 text-xs text-zinc-400">(you)</span> : null}
      </td>
      <td className={CELL}>
        <div className="flex items-center gap-2">
          <label htmlFor={`role-${user.id}`} className="sr-only">
            Role of {user.username}
          </label>
          <RoleSelect
            id={`role-${user.id}`}
            narrow
            value={role}
            disabled={self}
            onChange={(e) => setRole(e.target.value as typeof role)}
          />
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
      <td className={`${CELL} whitespace-nowrap`}>
        <StatusBadge kind="user" status={disabled ? "disabled" : "active"} />
      </td>
      <td className={`${CELL} text-sm whitespace-nowrap text-zinc-300`}>
        <Time at={user.createdAt} />
      </td>
      <td className={`${CELL} text-right`}>
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
      <DataTable
        columns={COLUMNS}
        rows={users}
        rowKey={(u) => `${u.id}-${u.role}-${u.disabledAt ?? 0}`}
        label="Users"
        testId="users-table"
        renderRow={(u) => <UserRow user={u} self={u.username === currentUsername} />}
      />
      <AddUserForm />
    </div>
  );
}
