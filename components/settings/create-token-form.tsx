"use client";

import { createApiTokenAction } from "@/app/(console)/settings/actions";
import { ErrorText } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label, TextField } from "@/components/ui/input";
import { RoleSelect } from "@/components/ui/role-select";
import { CopyButton } from "./copy-button";
import { submitted, useSettingsAction } from "./use-settings-action";

/** Creates a CI token; the token itself is shown here once, with a copy button, and is never retrievable again. */
export function CreateTokenForm({ services }: { services: string[] }) {
  const create = useSettingsAction(createApiTokenAction);
  return (
    <div className="space-y-3">
      <form
        aria-label="Create an API token"
        className="grid gap-3 sm:grid-cols-5 sm:items-end"
        onSubmit={(e) => {
          const { field, reset } = submitted(e);
          const scope = field("services", "*")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
          create.mutate(
            {
              name: field("name", ""),
              role: field("role", "release_manager") as "release_manager",
              services: scope,
              expiresInDays: Number(field("expiresInDays", "90")),
            },
            { onSuccess: reset },
          );
        }}
      >
        <TextField
          id="token-name"
          label="Name"
          name="name"
          required
          maxLength={80}
          placeholder="ci-deploy"
          autoComplete="off"
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor="token-role">Role</Label>
          <RoleSelect id="token-role" name="role" defaultValue="release_manager" />
        </div>
        <TextField
          id="token-services"
          label="Services (comma-separated, * for all)"
          name="services"
          defaultValue={services.length === 1 ? services[0] : "*"}
          autoComplete="off"
        />
        <TextField
          id="token-expiry"
          label="Expires in (days)"
          name="expiresInDays"
          type="number"
          min={1}
          max={365}
          defaultValue={90}
        />
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {create.error ? <ErrorText>{create.error.message}</ErrorText> : null}
      {create.data ? (
        <div
          role="status"
          data-testid="new-token"
          className="space-y-2 rounded-md border border-amber-700 bg-amber-950/40 p-3 text-sm text-amber-100"
        >
          <p>
            Token <strong>{create.data.record.name}</strong> created. Copy it now: Greenlight keeps only its hash and
            cannot show it again.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="rounded bg-zinc-950 px-2 py-1 font-mono text-xs break-all text-zinc-100">
              {create.data.token}
            </code>
            <CopyButton text={create.data.token} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
