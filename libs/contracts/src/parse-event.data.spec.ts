import { RejectionCode } from './index';
import { NOW, base, rejection, withEnvelope } from './spec-helpers';

describe('parseEvent data rules', () => {
  const telematics = (data: object) =>
    JSON.stringify({ ...base, type: 'telematics.snapshot', data: { serialNumber: 'S1', ...data } });
  it.each<[string, object, string]>([
    ['negative hour meter', { cumulativeOperatingHours: -1 }, 'data.cumulativeOperatingHours: must be >= 0'],
    [
      'latitude 90.5',
      { location: { latitude: 90.5, longitude: 0 } },
      'data.location.latitude: must be <= 90',
    ],
    [
      'longitude -180.1',
      { location: { latitude: 0, longitude: -180.1 } },
      'data.location.longitude: must be >= -180',
    ],
    [
      'unknown fault severity',
      {
        faultCodes: [
          { code: 'A', severity: 'low' },
          { code: 'B', severity: 'severe' },
        ],
      },
      'data.faultCodes[1].severity: must be one of: info, low, medium, high, critical',
    ],
    ['engineRunning as string', { engineRunning: 'yes' }, 'data.engineRunning: must be a boolean'],
  ])('SCHEMA_INVALID (telematics) for %s', (_name, data, message) => {
    expect(rejection(telematics(data), { topicKind: 'telematics', now: NOW })).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message,
    });
  });

  const survey = (data: object) =>
    JSON.stringify({ ...base, type: 'survey.responded', data: { surveyId: 's', customerId: 'c', ...data } });
  it.each<[object, string]>([
    [{ nps: 11 }, 'data.nps: must be <= 10'],
    [{ nps: -1 }, 'data.nps: must be >= 0'],
    [{ nps: 7.5 }, 'data.nps: must be an integer'],
    [{ ces: 0 }, 'data.ces: must be >= 1'],
    [{ ces: 8 }, 'data.ces: must be <= 7'],
    [{ csat: 6 }, 'data.csat: must be <= 5'],
  ])('SCHEMA_INVALID for survey %j', (data, message) => {
    expect(rejection(survey(data))).toEqual({ code: RejectionCode.SCHEMA_INVALID, message });
  });

  const warranty = (type: string, data: object) => JSON.stringify({ ...base, type, data });
  it.each<[string, object, string]>([
    [
      'warranty.extended',
      { serialNumber: 'S', contractId: 'k', kind: 'standard', startsAt: '2026-01-01', endsAt: '2027-01-01' },
      'data.kind: must be one of: extended-warranty, maintenance-contract',
    ],
    [
      'warranty.extended',
      {
        serialNumber: 'S',
        contractId: 'k',
        kind: 'extended-warranty',
        startsAt: '2026-01-01',
        endsAt: '2027-01-01',
        amount: 10,
      },
      'data.currency: is required when amount is present',
    ],
    [
      'warranty.expired',
      { serialNumber: 'S', endedAt: '2026-01-01', coverage: 'lifetime' },
      'data.coverage: must be one of: standard, extended-warranty, maintenance-contract',
    ],
    ['ownership.transferred', { serialNumber: 'S', fromCustomerId: 'a' }, 'data.toCustomerId: is required'],
  ])('SCHEMA_INVALID for %s %j', (type, data, message) => {
    expect(rejection(warranty(type, data), { topicKind: 'warranty', now: NOW })).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message,
    });
  });

  it.each([
    '2026-04-12T10:00:00', // no offset
    '2026-04-12 10:00:00Z', // space separator
    '2026-04-12', // date only
    '2026-02-30T10:00:00Z', // no such day
    '2026-04-12T24:00:00Z',
    '2026-04-12T10:00:00+0800', // offset without colon
    'yesterday',
    '',
  ])('INVALID_TIMESTAMP for occurredAt %j', (occurredAt) => {
    expect(rejection(withEnvelope({ occurredAt }))).toEqual({
      code: RejectionCode.INVALID_TIMESTAMP,
      message: 'occurredAt: must be an RFC 3339 timestamp with offset (Z or ±hh:mm)',
    });
  });

  it('INVALID_TIMESTAMP for a bad date inside data, naming the field', () => {
    const raw = JSON.stringify({
      ...base,
      type: 'warranty.expiring',
      data: { serialNumber: 'S', endsAt: '01/05/2026' },
    });
    expect(rejection(raw, { topicKind: 'warranty', now: NOW })).toEqual({
      code: RejectionCode.INVALID_TIMESTAMP,
      message: 'data.endsAt: must be a date (YYYY-MM-DD) or an RFC 3339 timestamp with offset',
    });
  });

  it('SCHEMA_INVALID, not INVALID_TIMESTAMP, when a bad date comes with other schema errors', () => {
    const raw = JSON.stringify({ ...base, type: 'warranty.expiring', data: { endsAt: '2026-13-01' } });
    expect(rejection(raw, { topicKind: 'warranty', now: NOW })).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message:
        'data.serialNumber: is required; data.endsAt: must be a date (YYYY-MM-DD) or an RFC 3339 timestamp with offset',
    });
  });
});
