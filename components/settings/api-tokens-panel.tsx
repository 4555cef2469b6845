"use client";

import { useState } from "react";
import { revokeApiTokenAction } from "@/app/(console)/settings/actions";
import type { ListedApiToken } from "@/lib/api-tokens/list";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";
import { CreateTokenForm } from "./create-token-form";
import { useSettingsAction } from "./use-settings-action";

function RevokeButton({ token }: { token: ListedApiToken }) {
  const [open, setOpen] = useState(false);
  const revoke = useSettingsAction(revokeApiTokenAction);
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        title={`Revoke ${token.name}?`}
        confirmLabel="Revoke token"
        confirmVariant="danger"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onClose={() => (setOpen(false), revoke.reset())}
        onConfirm={() => revoke.mutate({ id: token.id }, { onSuccess: () => setOpen(false) })}
      >
        <p>
          The next request carrying <code className="font-mono">{token.prefix}…</code> is refused. Pipelines using it
          stop working until they get a new token.
        </p>
      </ConfirmDialog>
    </>
  );
}

const COLUMNS: Column<ListedApiToken>[] = [
  { header: "Name", className: "font-medium text-zinc-100", cell: (t) => t.name },
  { header: "Prefix", className: "font-mono text-xs text-zinc-300", cell: (t) => `${t.prefix}…` },
  { header: "Role", className: "text-zinc-300", cell: (t) => t.role },
  { header: "Services", className: "text-zinc-300", cell: (t) => t.services.join(", ") },
  { header: "State", cell: (t) => <StatusBadge kind="apiToken" status={t.state} /> },
  {
    header: "Expires",
    className: "whitespace-nowrap text-zinc-300",
    cell: (t) => (t.expiresAt ? <Time at={t.expiresAt} /> : "never"),
  },
  {
    header: "Last used",
    className: "whitespace-nowrap text-zinc-300",
    cell: (t) => (
      <>
        {t.lastUsedAt ? <Time at={t.lastUsedAt} /> : "never"}
        {t.lastUsedIp ? <span className="block font-mono text-xs text-zinc-400">{t.lastUsedIp}</span> : null}
      </>
    ),
  },
  {
    header: "Actions",
    hiddenHeader: true,
    className: "text-right",
    cell: (t) => (t.state === "active" ? <RevokeButton token={t} /> : null),
  },
];

export function ApiTokensPanel({ tokens, services }: { tokens: ListedApiToken[]; services: string[] }) {
  return (
    <div className="space-y-4">
      <DataTable
        columns={COLUMNS}
        rows={tokens}
        empty="No API tokens yet."
        label="API tokens"
        testId="tokens-table"
        rowProps={(t) => ({ "data-testid": `token-${t.name}` })}
      />
      <CreateTokenForm services={services} />
    </div>
  );
}
