import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { scopeSql } from '../auth/scope';
import type { Caller } from '../auth/token';
import { ApiError } from '../http/api-error';
import { TASK_COLUMNS, taskView, type TaskRow } from '../tasks/task-view';

const TIMELINE_LIMIT = 100;

interface TimelineRow {
  event_id: string;
  type: string;
  occurred_at: Date;
  serial_number: string | null;
  summary: Record<string, unknown>;
}

/** Customer and machine records, scoped to the caller; no personal data (name, phone, email) leaves. */
@Injectable()
export class RecordsService {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async customer(caller: Caller, customerId: string) {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 'c');
    params.push(customerId);
    const found = await this.ds.query<{ branch_id: string | null }[]>(
      `SELECT c.branch_id FROM customers c WHERE ${scope} AND c.customer_id = $${params.length}`,
      params,
    );
    // A customer known only through tasks (no customer.upserted yet) is visible where its tasks are.
    const branchId = found[0]?.branch_id ?? (await this.taskBranch(caller, customerId));
    if (branchId === undefined) throw new ApiError('NOT_FOUND', `customer ${customerId} not found`);
    const dealer = caller.dealerId;
    const [decisions, tasks, machines, timeline] = await Promise.all([
      this.ds.query<
        {
          reason_code: string;
          message: string;
          serial_number: string | null;
          detected_at: Date;
          clv: string;
          p_lapse: string;
          value_at_risk: string;
          priority: string;
        }[]
      >(
        `SELECT DISTINCT ON (reason_code, coalesce(serial_number, ''))
                reason_code, message, serial_number, detected_at, clv, p_lapse, value_at_risk, priority
           FROM decisions WHERE dealer_id = $1 AND customer_id = $2
          ORDER BY reason_code, coalesce(serial_number, ''), detected_at DESC`,
        [dealer, customerId],
      ),
      this.tasksOf(caller, 'customer_id', customerId),
      this.ds.query<{ serial_number: string; model: string | null; oem_name: string | null }[]>(
        `SELECT serial_number, model, oem_name FROM machines WHERE dealer_id = $1 AND customer_id = $2
          ORDER BY serial_number`,
        [dealer, customerId],
      ),
      this.timeline('customer_id', dealer, customerId),
    ]);
    const latest = [...decisions].sort((a, b) => b.detected_at.getTime() - a.detected_at.getTime())[0];
    return {
      id: customerId,
      dealerId: dealer,
      branchId,
      value: latest
        ? {
            clv: Number(latest.clv),
            pLapse: Number(latest.p_lapse),
            valueAtRisk: Number(latest.value_at_risk),
            asOf: latest.detected_at.toISOString(),
          }
        : null,
      risk: decisions.map((d) => ({
        code: d.reason_code,
        message: d.message,
        serialNumber: d.serial_number,
        detectedAt: d.detected_at.toISOString(),
        valueAtRisk: Number(d.value_at_risk),
        priority: Number(d.priority),
      })),
      machines: machines.map((m) => ({ serialNumber: m.serial_number, model: m.model, oemName: m.oem_name })),
      openTasks: tasks,
      timeline,
    };
  }

  async machine(caller: Caller, serial: string) {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 'm');
    params.push(serial);
    const rows = await this.ds.query<
      {
        serial_number: string;
        customer_id: string | null;
        branch_id: string | null;
        oem_name: string | null;
        model: string | null;
        delivered_at: Date | null;
        hour_meter: string | null;
        hour_meter_at: Date | null;
        engine_running: boolean | null;
        active_fault_codes: unknown;
        last_telematics_at: Date | null;
      }[]
    >(
      `SELECT m.serial_number, m.customer_id, m.branch_id, m.oem_name, m.model, m.delivered_at, m.hour_meter,
              m.hour_meter_at, m.engine_running, m.active_fault_codes, m.last_telematics_at
         FROM machines m WHERE ${scope} AND m.serial_number = $${params.length}`,
      params,
    );
    const m = rows[0];
    if (!m) throw new ApiError('NOT_FOUND', `machine ${serial} not found`);
    const [warranties, tasks, timeline] = await Promise.all([
      this.ds.query<
        { contract_id: string; coverage: string; starts_at: Date | null; ends_at: Date | null }[]
      >(
        `SELECT contract_id, coverage, starts_at, ends_at FROM warranties WHERE dealer_id = $1 AND serial_number = $2
          ORDER BY ends_at NULLS LAST`,
        [caller.dealerId, serial],
      ),
      this.tasksOf(caller, 'serial_number', serial),
      this.timeline('serial_number', caller.dealerId, serial),
    ]);
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      serialNumber: m.serial_number,
      customerId: m.customer_id,
      branchId: m.branch_id,
      oemName: m.oem_name,
      model: m.model,
      deliveredAt: iso(m.delivered_at),
      hourMeter: m.hour_meter === null ? null : Number(m.hour_meter),
      hourMeterAt: iso(m.hour_meter_at),
      engineRunning: m.engine_running,
      activeFaultCodes: m.active_fault_codes ?? [],
      lastTelematicsAt: iso(m.last_telematics_at),
      warranties: warranties.map((w) => ({
        contractId: w.contract_id,
        coverage: w.coverage,
        startsAt: iso(w.starts_at),
        endsAt: iso(w.ends_at),
      })),
      openTasks: tasks,
      timeline,
    };
  }

  private async taskBranch(caller: Caller, customerId: string): Promise<string | undefined> {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 't');
    params.push(customerId);
    const rows = await this.ds.query<{ branch_id: string }[]>(
      `SELECT t.branch_id FROM tasks t WHERE ${scope} AND t.customer_id = $${params.length} LIMIT 1`,
      params,
    );
    return rows[0]?.branch_id;
  }

  private async tasksOf(caller: Caller, column: 'customer_id' | 'serial_number', value: string) {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 't');
    params.push(value);
    const rows = await this.ds.query<TaskRow[]>(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${scope} AND t.${column} = $${params.length}
          AND t.status IN ('open', 'claimed') ORDER BY t.priority DESC, t.task_id`,
      params,
    );
    return rows.map(taskView);
  }

  private async timeline(column: 'customer_id' | 'serial_number', dealerId: string, value: string) {
    // The timeline summary holds no personal data by construction (see the ingest timeline projector).
    const rows = await this.ds.query<TimelineRow[]>(
      `SELECT event_id, type, occurred_at, serial_number, summary FROM timeline
        WHERE dealer_id = $1 AND ${column} = $2 ORDER BY occurred_at DESC, event_id LIMIT ${TIMELINE_LIMIT}`,
      [dealerId, value],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      occurredAt: r.occurred_at.toISOString(),
      serialNumber: r.serial_number,
      summary: r.summary,
    }));
  }
}
