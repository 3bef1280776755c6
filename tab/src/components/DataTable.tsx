// A table that sorts (every sortable column header is a button; aria-sort says the order) and filters (one text
// box over the visible words of each row). Keyboard operable; the caption names the table for screen readers.
import { useId, useMemo, useState, type ReactNode } from "react";
import {
  Field,
  Input,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from "@fluentui/react-components";

export interface Column<T> {
  id: string;
  label: string;
  render(row: T): ReactNode;
  /** The words of this cell, for the filter and, when `sortValue` is absent, for sorting. */
  text?(row: T): string;
  sortValue?(row: T): string | number;
  sortable?: boolean;
  width?: string;
}

const useStyles = makeStyles({
  wrap: { overflowX: "auto", marginBottom: tokens.spacingVerticalL },
  caption: {
    textAlign: "left",
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
    padding: `${tokens.spacingVerticalS} 0`,
  },
  filter: { maxWidth: "24rem", marginBottom: tokens.spacingVerticalS },
  empty: { padding: tokens.spacingVerticalM, color: tokens.colorNeutralForeground2 },
  count: { color: tokens.colorNeutralForeground2, margin: `${tokens.spacingVerticalXS} 0` },
  cell: { verticalAlign: "top", paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS },
});

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  emptyText,
  filterLabel,
  initialSort,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  emptyText: string;
  /** Shows a filter box with this label. */
  filterLabel?: string;
  initialSort?: { column: string; direction: "ascending" | "descending" };
}) {
  const styles = useStyles();
  const filterId = useId();
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<{ column: string; direction: "ascending" | "descending" } | undefined>(initialSort);

  const shown = useMemo(() => {
    const words = filter.trim().toLowerCase();
    let out = rows;
    if (words) {
      out = rows.filter((row) => columns.map((c) => (c.text ? c.text(row) : "")).join(" ").toLowerCase().includes(words));
    }
    if (sort) {
      const column = columns.find((c) => c.id === sort.column);
      if (column) {
        const value = (row: T) => (column.sortValue ? column.sortValue(row) : (column.text?.(row) ?? "").toLowerCase());
        const sign = sort.direction === "ascending" ? 1 : -1;
        out = [...out].sort((a, b) => {
          const va = value(a);
          const vb = value(b);
          return (typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb), "en-GB")) * sign;
        });
      }
    }
    return out;
  }, [rows, columns, filter, sort]);

  const toggle = (id: string) =>
    setSort((s) => (s?.column === id ? { column: id, direction: s.direction === "ascending" ? "descending" : "ascending" } : { column: id, direction: "ascending" }));

  return (
    <div>
      {filterLabel ? (
        <Field label={filterLabel} className={styles.filter}>
          <Input id={filterId} value={filter} onChange={(_, d) => setFilter(d.value)} />
        </Field>
      ) : null}
      <div className={styles.wrap}>
        <Table aria-label={caption} size="small">
          <caption className={styles.caption}>{caption}</caption>
          <TableHeader>
            <TableRow>
              {columns.map((c) => {
                const sortable = c.sortable !== false && (c.sortValue !== undefined || c.text !== undefined);
                const direction = sort?.column === c.id ? sort.direction : undefined;
                return (
                  <TableHeaderCell
                    key={c.id}
                    scope="col"
                    style={c.width ? { width: c.width } : undefined}
                    {...(sortable
                      ? { sortable: true, sortDirection: direction, onClick: () => toggle(c.id), "aria-sort": direction ?? "none" }
                      : {})}
                  >
                    {c.label}
                  </TableHeaderCell>
                );
              })}
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((row) => (
              <TableRow key={rowKey(row)}>
                {columns.map((c) => (
                  <TableCell key={c.id} className={styles.cell}>{c.render(row)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {shown.length === 0 ? <p className={styles.empty}>{rows.length === 0 ? emptyText : "Nothing matches the filter. Clear it to see every row."}</p> : null}
        {filter && shown.length > 0 ? <p className={styles.count} role="status">{`Showing ${shown.length} of ${rows.length}`}</p> : null}
      </div>
    </div>
  );
}
