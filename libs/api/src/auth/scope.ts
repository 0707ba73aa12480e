import type { Caller } from './token';

/**
 * SQL condition restricting rows of `alias` to the caller: the dealer always, the branch for a manager.
 * Parameters are appended to `params`; the column names are fixed by the callers, never user input.
 */
export function scopeSql(caller: Caller, params: unknown[], alias: string): string {
  params.push(caller.dealerId);
  let sql = `${alias}.dealer_id = $${params.length}`;
  if (caller.role === 'manager') {
    params.push(caller.branchId);
    sql += ` AND ${alias}.branch_id = $${params.length}`;
  }
  return sql;
}
