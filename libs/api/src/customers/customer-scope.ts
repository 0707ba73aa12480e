import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/token';

export interface OwnedMachine {
  serial_number: string;
  model: string | null;
  oem_name: string | null;
  branch_id: string | null;
}

/**
 * What of one customer a caller may see. The rule, for a manager of branch B (an admin sees the whole dealer):
 * - the customer is visible when its home branch is B, or it owns a machine in B, or it has a task in B;
 * - machines: only those in B (as `GET /machines/{serial}` answers);
 * - a decision or timeline entry of one of the customer's current machines: visible when that machine is in B;
 * - a customer-level entry (no machine), or one of a machine the customer no longer owns (its history belongs
 *   to the customer, not to a branch's fleet): visible when the customer's home branch is B.
 * Home branch: the customer master data's; without master data, the branch customer-level work is routed to
 * (its first machine by serial that has a branch, as the risk engine does), else that of its tasks.
 */
export class CustomerScope {
  private constructor(
    /** The customer's name (master data); null when unknown. Shown to whoever sees the customer, never logged. */
    readonly name: string | null,
    readonly homeBranch: string | null,
    readonly allMachines: readonly OwnedMachine[],
    private readonly branch: string | null,
    readonly visible: boolean,
  ) {}

  static async load(ds: DataSource, caller: Caller, customerId: string): Promise<CustomerScope> {
    const dealer = caller.dealerId;
    const [master, machines, tasks] = await Promise.all([
      ds.query<{ branch_id: string | null; name: string | null }[]>(
        `SELECT branch_id, name FROM customers WHERE dealer_id = $1 AND customer_id = $2`,
        [dealer, customerId],
      ),
      ds.query<OwnedMachine[]>(
        `SELECT serial_number, model, oem_name, branch_id FROM machines WHERE dealer_id = $1 AND customer_id = $2
          ORDER BY serial_number`,
        [dealer, customerId],
      ),
      ds.query<{ branch_id: string }[]>(
        `SELECT DISTINCT ON (serial_number IS NULL) branch_id FROM tasks WHERE dealer_id = $1 AND customer_id = $2
          ORDER BY serial_number IS NULL DESC, created_at DESC, task_id`,
        [dealer, customerId],
      ),
    ]);
    const home =
      master[0]?.branch_id ?? machines.find((m) => m.branch_id)?.branch_id ?? tasks[0]?.branch_id ?? null;
    const known = master.length > 0 || machines.length > 0 || tasks.length > 0;
    const name = master[0]?.name ?? null;
    if (caller.role !== 'manager') return new CustomerScope(name, home, machines, null, known);
    const b = caller.branchId ?? null;
    const taskHere = await ds.query<unknown[]>(
      `SELECT 1 FROM tasks WHERE dealer_id = $1 AND customer_id = $2 AND branch_id = $3 LIMIT 1`,
      [dealer, customerId, b],
    );
    const visible = home === b || machines.some((m) => m.branch_id === b) || taskHere.length > 0;
    return new CustomerScope(name, home, machines, b, visible);
  }

  /**
   * The caller sees the whole customer: an admin, or the manager of its home branch when every machine of the
   * customer is in that branch. Figures computed over the whole customer (the segment's basis) are shown
   * only then.
   */
  get whole(): boolean {
    return (
      this.branch === null ||
      (this.homeBranch === this.branch && this.allMachines.every((m) => m.branch_id === this.branch))
    );
  }

  /** The machines the caller sees. */
  get machines(): readonly OwnedMachine[] {
    return this.branch === null
      ? this.allMachines
      : this.allMachines.filter((m) => m.branch_id === this.branch);
  }

  /** Whether the caller sees a decision / timeline entry of this machine (null: customer-level). */
  sees(serial: string | null): boolean {
    if (this.branch === null) return true;
    const machine = serial === null ? undefined : this.allMachines.find((m) => m.serial_number === serial);
    return machine === undefined ? this.homeBranch === this.branch : machine.branch_id === this.branch;
  }

  /**
   * SQL condition on `serial_number` for the caller (params appended); 'true' for an admin. The serial lists are
   * parameters, never spliced.
   */
  serialSql(params: unknown[]): string {
    if (this.branch === null) return 'true';
    params.push(this.machines.map((m) => m.serial_number));
    const mine = `$${params.length}::text[]`;
    params.push(this.allMachines.map((m) => m.serial_number));
    const current = `$${params.length}::text[]`;
    params.push(this.homeBranch === this.branch);
    const home = `$${params.length}::boolean`;
    return `(serial_number = ANY(${mine}) OR ((serial_number IS NULL OR NOT serial_number = ANY(${current})) AND ${home}))`;
  }
}
