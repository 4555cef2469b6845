import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import { OUTCOMES, type AuditFilters } from "./filters";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilterForm({
  filters,
  actions,
  actors,
}: {
  filters: AuditFilters;
  actions: string[];
  actors: string[];
}) {
  return (
    <form
      method="get"
      action="/audit"
      role="search"
      aria-label="Filter the audit trail"
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7 lg:items-end"
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor="f-actor">Actor</Label>
        <Input
          id="f-actor"
          name="actor"
          defaultValue={filters.actor}
          list="audit-actors"
          placeholder="any"
          autoComplete="off"
        />
        <datalist id="audit-actors">
          {actors.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="f-action">Action</Label>
        <Input
          id="f-action"
          name="action"
          defaultValue={filters.action}
          list="audit-actions"
          placeholder="any"
          autoComplete="off"
        />
        <datalist id="audit-actions">
          {actions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="f-target">Target</Label>
        <Input
          id="f-target"
          name="target"
          defaultValue={filters.target}
          placeholder="e.g. deployment:…"
          autoComplete="off"
        />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="f-outcome">Outcome</Label>
        <Select id="f-outcome" name="outcome" defaultValue={filters.outcome ?? ""}>
          <option value="">any</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="f-from">From (UTC day)</Label>
        <Input id="f-from" name="from" type="date" defaultValue={filters.from} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="f-to">To (UTC day)</Label>
        <Input id="f-to" name="to" type="date" defaultValue={filters.to} />
      </div>
      <div className="col-span-2 flex items-center gap-2 sm:col-span-3 lg:col-span-1">
        <Button type="submit">Filter</Button>
        <Link
          href="/audit"
          className="rounded-md px-3 py-2 text-sm font-medium text-zinc-300 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-400"
        >
          Clear
        </Link>
      </div>
    </form>
  );
}
