import type { TelematicsSnapshotData, TelematicsSnapshotEvent } from '@rp/contracts';
import type { IngestEvent } from './ingest-event';
import { foldMachines, machineKey } from './telematics.fold';

const day = (d: number) => Date.UTC(2026, 2, d);

function snap(
  id: string,
  d: number,
  data: Partial<TelematicsSnapshotData>,
  dealerId = 'd1',
): IngestEvent<TelematicsSnapshotEvent> {
  return {
    event: {
      eventId: id,
      type: 'telematics.snapshot',
      occurredAt: new Date(day(d)).toISOString(),
      dealerId,
      schemaVersion: 1,
      data: { serialNumber: 'SN-1', ...data },
    },
    occurredAtMs: day(d),
    topic: 't',
    partition: 0,
    offset: String(d),
  };
}

describe('foldMachines (one machine row per batch, snapshots in event-time order)', () => {
  it('takes the newest value present for latest fields and keeps the maximum of the meters', () => {
    const events = [
      snap('e1', 1, {
        oemName: 'Takeuchi',
        model: 'TB290',
        cumulativeOperatingHours: 100,
        cumulativeIdleHours: 10,
        fuelUsedLitres: 500,
        location: { latitude: 1, longitude: 2 },
        engineRunning: true,
        faultCodes: [{ code: 'F1', severity: 'high' }],
      }),
      snap('e2', 2, { cumulativeOperatingHours: 120, cumulativeIdleHours: 9, engineRunning: false }),
      snap('e3', 3, { cumulativeOperatingHours: 110, location: { latitude: 3, longitude: 4 } }),
      snap('e4', 4, { faultCodes: [{ code: 'F1', severity: 'high', clearedAt: '2026-03-04T00:00:00Z' }] }),
    ];
    const m = foldMachines(events).get(machineKey('d1', 'SN-1'))!;
    expect(m).toEqual({
      dealerId: 'd1',
      serial: 'SN-1',
      oemName: 'Takeuchi',
      oemNameAt: day(1), // each latest field carries the event it comes from
      oemNameEventId: 'e1',
      model: 'TB290',
      modelAt: day(1),
      modelEventId: 'e1',
      hours: 120,
      hoursAt: day(2), // when the maximum was read, not the lower reading after it
      idle: 10,
      fuel: 500,
      location: { latitude: 3, longitude: 4, at: day(3), eventId: 'e3' },
      engineRunning: false,
      engineRunningAt: day(2),
      engineRunningEventId: 'e2',
      faults: [], // the newest list, cleared codes dropped: no active fault
      faultsAt: day(4),
      faultsEventId: 'e4',
      lastAt: day(4),
      lastEventId: 'e4',
      withHours: [events[0], events[1], events[2]],
    });
  });

  it('a snapshot without a field leaves it as it was, and an equal reading moves the meter time on', () => {
    const events = [
      snap('e1', 1, { cumulativeOperatingHours: 50, faultCodes: [{ code: 'F2', severity: 'low' }] }),
      snap('e2', 2, { cumulativeOperatingHours: 50 }),
      snap('e3', 3, {}),
    ];
    const m = foldMachines(events).get(machineKey('d1', 'SN-1'))!;
    expect(m.hours).toBe(50);
    expect(m.hoursAt).toBe(day(2));
    expect(m.faults).toEqual([{ code: 'F2', severity: 'low' }]);
    expect(m.location).toBeUndefined();
    expect(m.engineRunning).toBeUndefined();
    expect(m.withHours.map((e) => e.event.eventId)).toEqual(['e1', 'e2']);
    expect(m.lastEventId).toBe('e3');
  });

  it('keeps machines of different dealers apart, even with the same serial number', () => {
    const folded = foldMachines([
      snap('a', 1, { cumulativeOperatingHours: 10 }, 'd1'),
      snap('b', 2, { cumulativeOperatingHours: 20 }, 'd2'),
    ]);
    expect([...folded.keys()]).toEqual([machineKey('d1', 'SN-1'), machineKey('d2', 'SN-1')]);
    expect(folded.get(machineKey('d1', 'SN-1'))!.hours).toBe(10);
    expect(folded.get(machineKey('d2', 'SN-1'))!.hours).toBe(20);
  });
});
