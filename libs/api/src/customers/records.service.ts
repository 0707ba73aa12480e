import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { scopeSql } from '../auth/scope';
import type { Caller } from '../auth/token';
import { ApiError } from '../http/api-error';
import { dealerCurrency } from '../tasks/dealer-currency';
import { EFFECTIVE_PRIORITY_SQL, taskView, taskViewSql, type TaskRow } from '../tasks/task-view';
import { contractsOf, type WarrantyRow } from './warranty-view';
import { CustomerScope } from './customer-scope';
import { customerSegment } from './segment-facts';

const TIMELINE_LIMIT = 100;

interface TimelineRow {
  event_id: string;
  type: string;
  occurred_at: Date;
  serial_number: string | null;
  summary: Record<string, unknown>;
}

interface DecisionRow {
  reason_code: string;
  message: string;
  serial_number: string | null;
  detected_at: Date;
  clv: string;
  p_lapse: string;
  value_at_risk: string;
  priority: string;
}

/**
 * Customer and machine records, scoped to the caller. Of the customer's personal data only the name leaves (the
 * branch manager must know who to call: PRODUCT.md "each task saying who"); phone and email never do, and the
 * name is never logged.
 */
@Injectable()
export class RecordsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async customer(caller: Caller, customerId: string, asOfMs: number) {
    // Who sees what of the customer (branch isolation): see CustomerScope.
    const scope = await CustomerScope.load(this.ds, caller, customerId);
    if (!scope.visible) throw new ApiError('NOT_FOUND', `customer ${customerId} not found`);
    const dealer = caller.dealerId;
    const [allDecisions, tasks, timeline, seg] = await Promise.all([
      this.ds.query<DecisionRow[]>(
        `SELECT DISTINCT ON (reason_code, coalesce(serial_number, ''))
                reason_code, message, serial_number, detected_at, clv, p_lapse, value_at_risk, priority
           FROM decisions WHERE dealer_id = $1 AND customer_id = $2
          ORDER BY reason_code, coalesce(serial_number, ''), detected_at DESC`,
        [dealer, customerId],
      ),
      this.tasksOf(caller, 'customer_id', customerId),
      this.customerTimeline(dealer, customerId, scope),
      customerSegment(
        this.ds,
        dealer,
        customerId,
        asOfMs,
        (this.config.dealerEconomics[dealer] ?? this.config.dealerEconomics['*'])?.revenuePerHour ?? null,
      ),
    ]);
    const decisions = allDecisions.filter((d) => scope.sees(d.serial_number));
    const latest = [...decisions].sort((a, b) => b.detected_at.getTime() - a.detected_at.getTime())[0];
    const currency = dealerCurrency(this.config, dealer);
    return {
      id: customerId,
      name: scope.name,
      dealerId: dealer,
      branchId: scope.homeBranch,
      value: latest
        ? {
            clv: Number(latest.clv),
            pLapse: Number(latest.p_lapse),
            valueAtRisk: Number(latest.value_at_risk),
            currency,
            asOf: latest.detected_at.toISOString(),
          }
        : null,
      // The segment is the customer's (dealer-wide); its figures include other branches' machines, tasks and
      // invoices, so a manager who does not see the whole customer gets the label without them.
      segment: seg.segment,
      segmentBasis: scope.whole ? seg.basis : null,
      risk: decisions.map((d) => ({
        code: d.reason_code,
        message: d.message,
        serialNumber: d.serial_number,
        detectedAt: d.detected_at.toISOString(),
        valueAtRisk: Number(d.value_at_risk),
        currency,
        priority: Number(d.priority),
      })),
      machines: scope.machines.map((m) => ({
        serialNumber: m.serial_number,
        model: m.model,
        oemName: m.oem_name,
      })),
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
        sold_at: Date | null;
      }[]
    >(
      `SELECT m.serial_number, m.customer_id, m.branch_id, m.oem_name, m.model, m.delivered_at, m.hour_meter,
              m.hour_meter_at, m.engine_running, m.active_fault_codes, m.last_telematics_at, m.sold_at
         FROM machines m WHERE ${scope} AND m.serial_number = $${params.length}`,
      params,
    );
    const m = rows[0];
    if (!m) throw new ApiError('NOT_FOUND', `machine ${serial} not found`);
    const [warranties, tasks, timeline] = await Promise.all([
      this.ds.query<WarrantyRow[]>(
        `SELECT contract_id, coverage, starts_at, ends_at, expired_at FROM warranties
          WHERE dealer_id = $1 AND serial_number = $2 ORDER BY ends_at NULLS LAST, contract_id`,
        [caller.dealerId, serial],
      ),
      this.tasksOf(caller, 'serial_number', serial),
      // The current owner's part of the machine's history: from the latest ownership transfer on (the
      // previous owner's work orders, surveys and readings are theirs).
      this.timeline(caller.dealerId, 'serial_number = $2 AND (occurred_at >= $3 OR $3 IS NULL)', [
        serial,
        m.sold_at?.toISOString() ?? null,
      ]),
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
      warranties: contractsOf(warranties),
      openTasks: tasks,
      timeline,
    };
  }

  private async tasksOf(caller: Caller, column: 'customer_id' | 'serial_number', value: string) {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 't');
    params.push(value);
    const rows = await this.ds.query<TaskRow[]>(
      `${taskViewSql('tasks')} WHERE ${scope} AND t.${column} = $${params.length}
          AND t.status IN ('open', 'claimed') ORDER BY ${EFFECTIVE_PRIORITY_SQL} DESC, t.task_id`,
      params,
    );
    return rows.map((r) => taskView(r, dealerCurrency(this.config, r.dealer_id)));
  }

  /** The customer's own events; for a manager only those of their branch (see CustomerScope). */
  private customerTimeline(dealerId: string, customerId: string, scope: CustomerScope) {
    const params: unknown[] = [dealerId, customerId];
    const visible = scope.serialSql(params);
    return this.timeline(dealerId, `customer_id = $2 AND ${visible}`, params.slice(1));
  }

  /** `where` addresses $2… of `params` ($1 is the dealer); written by this file only, never user input. */
  private async timeline(dealerId: string, where: string, params: unknown[]) {
    // The timeline summary holds no personal data by construction (see the ingest timeline projector).
    const rows = await this.ds.query<TimelineRow[]>(
      `SELECT event_id, type, occurred_at, serial_number, summary FROM timeline
        WHERE dealer_id = $1 AND ${where} ORDER BY occurred_at DESC, event_id LIMIT ${TIMELINE_LIMIT}`,
      [dealerId, ...params],
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
