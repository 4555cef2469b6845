import type { Metadata } from "next";
import { ApiTokensPanel } from "@/components/settings/api-tokens-panel";
import { globalSections, serviceSections } from "@/components/settings/config-view";
import { SectionList } from "@/components/settings/section-list";
import { ReloadConfigButton } from "@/components/settings/reload-config-button";
import { SendTestButton } from "@/components/settings/send-test-button";
import { SmokeTable } from "@/components/settings/smoke-table";
import { UsersPanel } from "@/components/settings/users-panel";
import { Card, CardTitle } from "@/components/ui/card";
import { listApiTokens } from "@/lib/api-tokens/list";
import { requirePageUser, roleAtLeast } from "@/lib/auth/guard";
import { listUsers } from "@/lib/auth/list-users";
import { configPath, getConfig } from "@/lib/config/load";
import { orphanedServices } from "@/lib/config/reload";
import { getDb } from "@/lib/db/client";
import { redactedChannels } from "@/lib/notify/redacted-channels";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings · Greenlight" };

export default async function SettingsPage() {
  const user = await requirePageUser();
  const config = getConfig();
  const canTest = roleAtLeast(user.role, "release_manager");
  const admin = user.role === "admin";
  const db = getDb();
  const orphaned = await orphanedServices({ db, config });
  return (
    <main className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-zinc-400">
          Read from greenlight.yaml. After changing the file, reload it (below, as an admin, or{" "}
          <code className="font-mono">systemctl reload greenlight</code>, which sends SIGHUP): deployments that start
          afterwards use it, deployments under way keep the config they started with. Secrets are never shown.
        </p>
      </div>

      {admin ? (
        <Card className="space-y-3" data-testid="settings-config">
          <CardTitle>Configuration file</CardTitle>
          <p className="font-mono text-xs text-zinc-300">{configPath()}</p>
          <ReloadConfigButton />
        </Card>
      ) : null}

      {orphaned.length > 0 ? (
        <Card className="space-y-3 border-amber-700" data-testid="settings-orphaned">
          <CardTitle>Services no longer in greenlight.yaml</CardTitle>
          <p className="text-sm text-zinc-300">
            These still have containers or unfinished deployments. Finish or abort the deployments and remove the
            containers (or declare the service again) before they can go.
          </p>
          <ul className="divide-y divide-zinc-800 rounded-md border border-zinc-800 text-sm">
            {orphaned.map((o) => (
              <li key={o.service} className="px-3 py-2" data-testid={`orphaned-${o.service}`}>
                <span className="font-medium text-zinc-100">{o.service}</span>{" "}
                <span className="text-zinc-300">
                  {o.containers.length > 0 ? `containers: ${o.containers.join(", ")}` : "no containers"}
                  {o.unfinished.length > 0 ? `; unfinished deployments: ${o.unfinished.join(", ")}` : ""}
                  {o.unknown ? `; ${o.unknown}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <Card className="space-y-3">
        <CardTitle>Greenlight</CardTitle>
        <SectionList sections={globalSections(config)} />
      </Card>

      {config.services.map((service) => {
        const channels = redactedChannels(config, service.name);
        return (
          <Card key={service.name} className="space-y-4" data-testid={`settings-service-${service.name}`}>
            <CardTitle>Service {service.name}</CardTitle>
            <SectionList sections={serviceSections(service)} />
            <section aria-label={`Smoke tests of ${service.name}`} className="space-y-2">
              <h3 className="text-sm font-semibold text-zinc-200">Smoke tests</h3>
              <SmokeTable tests={service.smoke} />
            </section>
            <section aria-label={`Notifications of ${service.name}`} className="space-y-2">
              <h3 className="text-sm font-semibold text-zinc-200">Notification channels</h3>
              {channels.length === 0 ? (
                <p className="text-sm text-zinc-400">No notification channels declared.</p>
              ) : (
                <ul className="divide-y divide-zinc-800 rounded-md border border-zinc-800">
                  {channels.map((c) => (
                    <li
                      key={c.name}
                      className="flex flex-wrap items-center justify-between gap-3 px-3 py-2"
                      data-testid={`channel-${c.name}`}
                    >
                      <span className="text-sm">
                        <span className="font-medium text-zinc-100">{c.name}</span>{" "}
                        <span className="text-zinc-400">({c.type})</span>{" "}
                        <span className="font-mono text-xs text-zinc-300">{c.target}</span>
                      </span>
                      {canTest ? <SendTestButton service={service.name} channel={c.name} /> : null}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </Card>
        );
      })}

      {admin ? (
        <>
          <Card className="space-y-3" data-testid="settings-users">
            <CardTitle>Users</CardTitle>
            <UsersPanel users={listUsers(db)} currentUsername={user.username} />
          </Card>
          <Card className="space-y-3" data-testid="settings-tokens">
            <CardTitle>API tokens</CardTitle>
            <p className="text-sm text-zinc-400">
              For CI: send as <code className="font-mono">Authorization: Bearer …</code> to /api/v1. Limited to a role
              and services.
            </p>
            <ApiTokensPanel tokens={listApiTokens(db)} services={config.services.map((s) => s.name)} />
          </Card>
        </>
      ) : null}
    </main>
  );
}
