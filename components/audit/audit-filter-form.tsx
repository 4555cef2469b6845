import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Label, Select, TextField } from "@/components/ui/input";
import { OUTCOMES, type AuditFilters } from "./filters";

/** A free-text filter that suggests the values the trail holds (a datalist named after the field). */
function SuggestField(props: { id: string; name: string; label: string; value?: string; suggestions: string[] }) {
  const list = `audit-${props.name}s`;
  return (
    <TextField
      id={props.id}
      name={props.name}
      label={props.label}
      defaultValue={props.value}
      list={list}
      placeholder="any"
      autoComplete="off"
    >
      <datalist id={list}>
        {props.suggestions.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
    </TextField>
  );
}

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
      <SuggestField id="f-actor" name="actor" label="Actor" value={filters.actor} suggestions={actors} />
      <SuggestField id="f-action" name="action" label="Action" value={filters.action} suggestions={actions} />
      <TextField
        id="f-target"
        name="target"
        label="Target"
        defaultValue={filters.target}
        placeholder="e.g. deployment:…"
        autoComplete="off"
      />
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
      <TextField id="f-from" name="from" label="From (UTC day)" type="date" defaultValue={filters.from} />
      <TextField id="f-to" name="to" label="To (UTC day)" type="date" defaultValue={filters.to} />
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
