import { Fragment, type HTMLAttributes, type Key, type ReactNode } from "react";
import { cn } from "./cn";

/** One column: its header (a string, or a node such as a screen-reader-only label) and how a row fills its cell. */
export type Column<T> = {
  header: ReactNode;
  /** A header a screen reader announces but nobody sees (an "Actions" column of buttons). */
  hiddenHeader?: boolean;
  /** Leave it out only when the table draws its rows with `renderRow`. */
  cell?: (row: T) => ReactNode;
  className?: string;
  headerClassName?: string;
};

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

type Props<T> = {
  columns: readonly Column<T>[];
  rows: readonly T[];
  /** The React key of a row: by default its `id`, else its position. */
  rowKey?: (row: T, index: number) => Key;
  /** Shown instead of the table when there are no rows; a string becomes a muted paragraph. */
  empty?: ReactNode;
  /** Names the scrollable region around the table (focusable, so a keyboard can scroll it). */
  label?: string;
  /** "framed": a bordered, scrollable table (lists); "compact": a borderless one inside a card (a step's detail). */
  variant?: "framed" | "compact";
  rounded?: "md" | "lg";
  testId?: string;
  rowProps?: (row: T) => RowAttributes;
  /** Added to every body cell (e.g. "align-top" where cells wrap to several lines). */
  cellClassName?: string;
  /** Draws a row itself, for rows that hold their own state; it must render one <td> per column. */
  renderRow?: (row: T, index: number) => ReactNode;
};

const STYLE = {
  framed: {
    table: "min-w-full divide-y divide-zinc-800 text-sm",
    thead: "bg-zinc-900/80",
    th: "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-400 whitespace-nowrap",
    tbody: "divide-y divide-zinc-800/70",
    tr: "hover:bg-zinc-900/50",
    td: "px-3 py-2",
  },
  compact: {
    table: "w-full text-left text-sm",
    thead: "text-xs text-zinc-400 uppercase",
    th: "py-1 pr-3 font-medium last:pr-0",
    tbody: "divide-y divide-zinc-800",
    tr: undefined,
    td: "py-1.5 pr-3 last:pr-0",
  },
} as const;

/** The padding of a framed table's cell, for rows drawn with `renderRow`. */
export const CELL = STYLE.framed.td;

const defaultKey = (row: unknown, index: number): Key => (row as { id?: Key }).id ?? index;

/** A table with one header row of column headers (scope="col"), its rows, and an empty state. */
export function DataTable<T>({
  columns,
  rows,
  rowKey = defaultKey,
  empty,
  label,
  variant = "framed",
  rounded = "lg",
  testId,
  rowProps,
  cellClassName,
  renderRow,
}: Props<T>) {
  if (rows.length === 0 && empty !== undefined)
    return typeof empty === "string" ? <p className="text-sm text-zinc-400">{empty}</p> : empty;
  const s = STYLE[variant];
  const table = (
    <table className={s.table} data-testid={testId}>
      <thead className={s.thead}>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" className={cn(s.th, c.headerClassName)}>
              {c.hiddenHeader ? <span className="sr-only">{c.header}</span> : c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={s.tbody}>
        {rows.map((row, i) =>
          renderRow ? (
            <Fragment key={rowKey(row, i)}>{renderRow(row, i)}</Fragment>
          ) : (
            <tr key={rowKey(row, i)} className={s.tr} {...rowProps?.(row)}>
              {columns.map((c, j) => (
                <td key={j} className={cn(s.td, cellClassName, c.className)}>
                  {c.cell?.(row)}
                </td>
              ))}
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
  if (variant === "compact") return table;
  return (
    <div
      className={cn("relative overflow-x-auto border border-zinc-800", rounded === "md" ? "rounded-md" : "rounded-lg")}
      {...(label ? { tabIndex: 0, role: "region", "aria-label": label } : {})}
    >
      {table}
    </div>
  );
}
