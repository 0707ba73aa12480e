import type { Column, Row } from './sql';

/**
 * Columns that move together, stamped with the event that set them: the newest event (event time, then event
 * id) that carries the group sets it, whether the events came in one batch or several, in any order.
 */
export interface Group {
  /** The stamp: event time (timestamptz) and event id columns; a row carries the group when `at` is set. */
  at: string;
  id: string;
  cols: readonly string[];
}

/**
 * SQL: the incoming row (EXCLUDED) carries the group and is newer than the stored one, or none is stored. Ids
 * compare byte-wise (COLLATE "C"), as the batch's own event-time order compares them, whatever the database's
 * collation.
 */
export const newerGroup = (table: string, { at, id }: Group): string =>
  `EXCLUDED.${at} IS NOT NULL AND (${table}.${at} IS NULL OR (EXCLUDED.${at}, EXCLUDED.${id} COLLATE "C") > (${table}.${at}, ${table}.${id} COLLATE "C"))`;

/** `ON CONFLICT … DO UPDATE SET` assignments of the groups' columns and stamps. */
export const setGroups = (table: string, groups: readonly Group[]): string =>
  groups
    .flatMap((g) =>
      [...g.cols, g.at, g.id].map(
        (c) => `${c} = CASE WHEN ${newerGroup(table, g)} THEN EXCLUDED.${c} ELSE ${table}.${c} END`,
      ),
    )
    .join(',\n      ');

/**
 * The in-batch counterpart of `setGroups`, for `collapse` (rows folded in event-time order): each group comes
 * from the last row that carries it; columns outside every group keep the first row's value.
 */
export function mergeGroups(
  columns: readonly Column[],
  groups: readonly Group[],
): (acc: Row, next: Row) => Row {
  const index = (name: string): number => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`mergeGroups: no column ${name}`);
    return i;
  };
  const plan = groups.map((g) => ({ at: index(g.at), cols: [...g.cols, g.at, g.id].map(index) }));
  return (acc, next) => {
    const out = [...acc];
    for (const g of plan) {
      if (next[g.at] === null || next[g.at] === undefined) continue;
      for (const c of g.cols) out[c] = next[c];
    }
    return out;
  };
}
