"use client";

import { useState } from "react";
import { revokeApiTokenAction } from "@/app/(console)/settings/actions";
import type { ListedApiToken } from "@/lib/api-tokens/list";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";
import { CreateTokenForm } from "./create-token-form";
import { useSettingsAction } from "./use-settings-action";

const TH = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-400 whitespace-nowrap";
const STATE_TONE: Record<ListedApiToken["state"], BadgeTone> = { active: "green", expired: "neutral", revoked: "red" };

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

export function ApiTokensPanel({ tokens, services }: { tokens: ListedApiToken[]; services: string[] }) {
  return (
    <div className="space-y-4">
      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-400">No API tokens yet.</p>
      ) : (
        <div
          className="relative overflow-x-auto rounded-lg border border-zinc-800"
          tabIndex={0}
          role="region"
          aria-label="API tokens"
        >
          <table className="min-w-full divide-y divide-zinc-800 text-sm" data-testid="tokens-table">
            <thead className="bg-zinc-900/80">
              <tr>
                {["Name", "Prefix", "Role", "Services", "State", "Expires", "Last used"].map((h) => (
                  <th key={h} scope="col" className={TH}>
                    {h}
                  </th>
                ))}
                <th scope="col" className={TH}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-800/70">
              {tokens.map((t) => (
                <tr key={t.id} data-testid={`token-${t.name}`}>
                  <td className="px-3 py-2 font-medium text-zinc-100">{t.name}</td>
                  <td className="px-3 py-2 font-mono text-xs text-zinc-300">{t.prefix}…</td>
                  <td className="px-3 py-2 text-zinc-300">{t.role}</td>
                  <td className="px-3 py-2 text-zinc-300">{t.services.join(", ")}</td>
                  <td className="px-3 py-2">
                    <Badge tone={STATE_TONE[t.state]}>{t.state}</Badge>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap text-zinc-300">
                    {t.expiresAt ? <Time at={t.expiresAt} /> : "never"}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap text-zinc-300">
                    {t.lastUsedAt ? <Time at={t.lastUsedAt} /> : "never"}
                    {t.lastUsedIp ? (
                      <span className="block font-mono text-xs text-zinc-400">{t.lastUsedIp}</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-right">{t.state === "active" ? <RevokeButton token={t} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateTokenForm services={services} />
    </div>
  );
}
