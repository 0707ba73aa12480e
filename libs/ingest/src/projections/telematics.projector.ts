import type { TelematicsSnapshotEvent } from '@rp/contracts';
import { byEventTime, type IngestEvent } from './ingest-event';
import { foldMachines, machineKey, type MachineFold } from './telematics.fold';
import { setGroups, type Group } from './groups';
import { MACHINE_NAME_GROUPS } from './machine-groups';
import { arrayLiteral, cols, iso, unnestInsert, type Executor, type Row } from './sql';

const READING_COLS =
  cols(`dealer_id, event_id, serial_number, occurred_at timestamptz, operating_hours numeric,
  idle_hours numeric, latitude float8, longitude float8, engine_running boolean, fault_codes jsonb`);

const MACHINE_COLS =
  cols(`dealer_id, serial_number, oem_name, oem_name_at timestamptz, oem_name_event_id, model,
  model_at timestamptz, model_event_id, hour_meter numeric, hour_meter_at timestamptz,
  idle_hours numeric, fuel_used_litres numeric, latitude float8, longitude float8, location_at timestamptz,
  location_event_id, engine_running boolean, engine_running_at timestamptz, engine_running_event_id,
  active_fault_codes jsonb, active_fault_codes_at timestamptz, active_fault_codes_event_id,
  last_telematics_at timestamptz, last_telematics_event_id`);

/**
 * Each of these follows the newest snapshot that carries it (a snapshot may leave any of them out); the last
 * reading's stamp is the newest snapshot.
 */
const SNAPSHOT_GROUPS: readonly Group[] = [
  ...MACHINE_NAME_GROUPS,
  { at: 'location_at', id: 'location_event_id', cols: ['latitude', 'longitude'] },
  { at: 'engine_running_at', id: 'engine_running_event_id', cols: ['engine_running'] },
  { at: 'active_fault_codes_at', id: 'active_fault_codes_event_id', cols: ['active_fault_codes'] },
  { at: 'last_telematics_at', id: 'last_telematics_event_id', cols: [] },
];

/**
 * The hour meter keeps the greatest (hours, time) pair: its maximum and the last time that maximum was read,
 * as the batch's fold keeps them, so the order the readings arrive in does not matter.
 */
const HOUR_METER = `
      hour_meter_at = CASE WHEN EXCLUDED.hour_meter IS NOT NULL AND (machines.hour_meter IS NULL
          OR (EXCLUDED.hour_meter, EXCLUDED.hour_meter_at) > (machines.hour_meter, machines.hour_meter_at))
        THEN EXCLUDED.hour_meter_at ELSE machines.hour_meter_at END,
      hour_meter = GREATEST(machines.hour_meter, EXCLUDED.hour_meter)`;

/**
 * Telematics snapshots: every reading kept (detectors need the series); the machine's hour meter keeps
 * the maximum, "latest" fields move only forward in event time; lower readings are flagged.
 */
export async function projectTelematics(
  db: Executor,
  events: IngestEvent<TelematicsSnapshotEvent>[],
  alsoLock: readonly { dealerId: string; serial: string }[] = [],
): Promise<void> {
  if (events.length === 0) return;
  const sorted = [...events].sort(byEventTime);
  await unnestInsert(
    db,
    'telematics_readings',
    READING_COLS,
    sorted.map(({ event: { dealerId, eventId, data: d }, occurredAtMs }) => [
      dealerId,
      eventId,
      d.serialNumber,
      iso(occurredAtMs),
      d.cumulativeOperatingHours,
      d.cumulativeIdleHours,
      d.location?.latitude,
      d.location?.longitude,
      d.engineRunning,
      d.faultCodes ?? null, // no list ≠ an empty list
    ]),
    '', // only events seen for the first time get here (processed-event keys, same transaction)
  );

  const folded = foldMachines(sorted);
  const prior = await priorMeters(db, [...folded.values()]);
  // Machines a later statement of this transaction writes (new owners) are locked here too, unchanged (or
  // created, as that statement would): all of the transaction's machines in one pass, in one key order.
  const rows: (Partial<MachineFold> & { dealerId: string; serial: string })[] = [...folded.values()];
  const listed = new Set(folded.keys());
  for (const m of alsoLock) {
    const k = machineKey(m.dealerId, m.serial);
    if (!listed.has(k)) rows.push({ dealerId: m.dealerId, serial: m.serial });
    listed.add(k);
  }
  const machines = rows.sort((a, b) =>
    a.dealerId === b.dealerId ? (a.serial < b.serial ? -1 : 1) : a.dealerId < b.dealerId ? -1 : 1,
  );
  await unnestInsert(
    db,
    'machines',
    MACHINE_COLS,
    machines.map((m) => [
      m.dealerId,
      m.serial,
      m.oemName,
      iso(m.oemNameAt),
      m.oemNameEventId,
      m.model,
      iso(m.modelAt),
      m.modelEventId,
      m.hours,
      iso(m.hoursAt),
      m.idle,
      m.fuel,
      m.location?.latitude,
      m.location?.longitude,
      iso(m.location?.at),
      m.location?.eventId,
      m.engineRunning,
      iso(m.engineRunningAt),
      m.engineRunningEventId,
      m.faults ?? null,
      iso(m.faultsAt),
      m.faultsEventId,
      iso(m.lastAt),
      m.lastEventId,
    ]),
    `ON CONFLICT (dealer_id, serial_number) DO UPDATE SET
      ${setGroups('machines', SNAPSHOT_GROUPS)},${HOUR_METER},
      idle_hours = GREATEST(machines.idle_hours, EXCLUDED.idle_hours),
      fuel_used_litres = GREATEST(machines.fuel_used_litres, EXCLUDED.fuel_used_litres)
     WHERE EXCLUDED.last_telematics_event_id IS NOT NULL`, // a row only locked: no new version
  );
  await flagHourMeterDecreases(db, folded, prior);
}

type Prior = Map<string, { hours: number | null; lastAt: number | null }>;

/** Each machine's hour meter and newest reading time before this batch (one query). */
async function priorMeters(db: Executor, machines: MachineFold[]): Promise<Prior> {
  const rows = await db.query<
    { dealer_id: string; serial_number: string; hour_meter: string | null; last_telematics_at: Date | null }[]
  >(
    `SELECT m.dealer_id, m.serial_number, m.hour_meter, m.last_telematics_at
       FROM machines m JOIN unnest($1::text[], $2::text[]) AS x(d, s) ON m.dealer_id = x.d AND m.serial_number = x.s`,
    [arrayLiteral(machines.map((m) => m.dealerId)), arrayLiteral(machines.map((m) => m.serial))],
  );
  return new Map(
    rows.map((r) => [
      machineKey(r.dealer_id, r.serial_number),
      {
        hours: r.hour_meter === null ? null : Number(r.hour_meter),
        lastAt: r.last_telematics_at ? new Date(r.last_telematics_at).getTime() : null,
      },
    ]),
  );
}

/**
 * A reading lower than one taken earlier (in event time) is a meter glitch or replacement: flagged,
 * never applied. Readings newer than everything stored are checked in memory against a running
 * maximum; a machine that received a late reading is re-checked in SQL from that reading on, so late
 * arrivals flag the same readings as on-time ones would.
 */
async function flagHourMeterDecreases(
  db: Executor,
  machines: Map<string, MachineFold>,
  prior: Prior,
): Promise<void> {
  const flags: Row[] = [];
  const late: IngestEvent<TelematicsSnapshotEvent>[] = [];
  for (const [k, { withHours: readings }] of machines) {
    if (readings.length === 0) continue;
    const before = prior.get(k);
    if (before !== undefined && before.lastAt !== null && readings[0].occurredAtMs <= before.lastAt) {
      late.push(readings[0]);
      continue;
    }
    let max = before?.hours ?? -Infinity;
    for (const e of readings) {
      const hours = e.event.data.cumulativeOperatingHours!;
      if (hours < max) {
        flags.push([
          e.event.dealerId,
          e.event.eventId,
          'HOUR_METER_DECREASE',
          e.event.data.serialNumber,
          iso(e.occurredAtMs),
          { hours, previousMaxHours: max },
        ]);
      }
      max = Math.max(max, hours);
    }
  }
  await unnestInsert(
    db,
    'data_quality_flags',
    cols('dealer_id, event_id, kind, serial_number, occurred_at timestamptz, detail jsonb'),
    flags,
    'ON CONFLICT DO NOTHING',
  );
  if (late.length > 0) await recheckFrom(db, late);
}

/** SQL re-check of machines that received late readings, from the earliest late reading on. */
async function recheckFrom(db: Executor, from: IngestEvent<TelematicsSnapshotEvent>[]): Promise<void> {
  await db.query(
    `INSERT INTO data_quality_flags (dealer_id, event_id, kind, serial_number, occurred_at, detail)
     SELECT r.dealer_id, r.event_id, 'HOUR_METER_DECREASE', r.serial_number, r.occurred_at,
            jsonb_build_object('hours', r.operating_hours, 'previousMaxHours', m.max_hours)
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS f(dealer_id, serial_number, since)
       JOIN telematics_readings r ON r.dealer_id = f.dealer_id AND r.serial_number = f.serial_number
                                 AND r.occurred_at >= f.since AND r.operating_hours IS NOT NULL
       CROSS JOIN LATERAL (
         SELECT max(p.operating_hours) AS max_hours FROM telematics_readings p
          WHERE p.dealer_id = r.dealer_id AND p.serial_number = r.serial_number AND p.occurred_at < r.occurred_at
       ) m
      WHERE m.max_hours > r.operating_hours
     ON CONFLICT DO NOTHING`,
    [
      from.map((e) => e.event.dealerId),
      from.map((e) => e.event.data.serialNumber),
      from.map((e) => iso(e.occurredAtMs)),
    ],
  );
}
