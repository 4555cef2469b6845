"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { silenceAlertsAction } from "@/app/(console)/services/[name]/metrics/actions";
import { fetchJson } from "@/components/deploy/fetch-json";
import { useDeployAction } from "@/components/deploy/use-deploy-action";
import { ErrorText } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/input";
import type { ServiceOverview } from "@/lib/views/service-overview";
import { AlertRows } from "./alert-rows";

const ALL = "*";

/**
 * The board's alert rules on the live colour, read from the service's overview (the query the tab keeps too), and,
 * for an on-call, **Silence** one rule or all of them for a time with a reason.
 */
export function AlertsPanel({ service, canSilence }: { service: string; canSilence: boolean }) {
  const { data, error } = useQuery({
    queryKey: ["service", service],
    queryFn: () => fetchJson<ServiceOverview>(`/api/services/${encodeURIComponent(service)}`),
    refetchInterval: 5_000,
  });
  const alerts = data?.alerts ?? [];
  const firing = alerts.filter((a) => a.state === "firing").length;
  return (
    <Card className="space-y-3" data-testid="alerts-panel" data-firing={firing}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">Alert rules</h2>
        <p className="text-sm text-zinc-400">
          {firing > 0 ? `${firing} firing on the live colour` : "on whatever colour serves, at any hour"}
        </p>
      </div>
      {error ? <ErrorText>Could not read the alerts: {error.message}</ErrorText> : null}
      {data ? (
        alerts.length > 0 ? (
          <AlertRows alerts={alerts} now={data.readAt} />
        ) : (
          <p className="text-sm text-zinc-400">No alert rules are declared for {service}.</p>
        )
      ) : null}
      {canSilence && alerts.length > 0 ? <SilenceForm service={service} rules={alerts.map((a) => a.rule)} /> : null}
    </Card>
  );
}

function SilenceForm({ service, rules }: { service: string; rules: string[] }) {
  const id = useId();
  const [rule, setRule] = useState(ALL);
  const [minutes, setMinutes] = useState("60");
  const [reason, setReason] = useState("");
  const silence = useDeployAction(silenceAlertsAction, [["service", service]]);
  return (
    <form
      className="flex flex-wrap items-end gap-2 border-t border-zinc-800 pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        silence.mutate(
          { service, ...(rule === ALL ? {} : { rule }), minutes: Number(minutes), reason },
          { onSuccess: () => setReason("") },
        );
      }}
    >
      <div className="flex w-64 flex-col gap-1">
        <Label htmlFor={`${id}-rule`}>Silence</Label>
        <Select id={`${id}-rule`} value={rule} onChange={(e) => setRule(e.target.value)}>
          <option value={ALL}>every rule of {service}</option>
          {rules.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex w-28 flex-col gap-1">
        <Label htmlFor={`${id}-minutes`}>for minutes</Label>
        <Input
          id={`${id}-minutes`}
          type="number"
          min={1}
          max={10080}
          required
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </div>
      <div className="flex min-w-64 flex-1 flex-col gap-1">
        <Label htmlFor={`${id}-reason`}>Why? (required)</Label>
        <Input
          id={`${id}-reason`}
          required
          minLength={3}
          maxLength={500}
          value={reason}
          placeholder="e.g. known upstream outage, ticket OPS-123"
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <Button type="submit" variant="secondary" disabled={silence.isPending || reason.trim().length < 3}>
        {silence.isPending ? "Silencing…" : "Silence"}
      </Button>
      {silence.error ? <ErrorText>{silence.error.message}</ErrorText> : null}
      {silence.isSuccess ? <p className="w-full text-sm text-emerald-300">{silence.data.message}</p> : null}
    </form>
  );
}
