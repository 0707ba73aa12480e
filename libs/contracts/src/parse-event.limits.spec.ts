import { DEFAULT_MAX_BYTES, RejectionCode, parseEvent } from './index';
import { NOW, SERVICE, base, rejection, withEnvelope } from './spec-helpers';

describe('future skew', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const at = (ms: number) => withEnvelope({ occurredAt: new Date(NOW.getTime() + ms).toISOString() });

  it('accepts exactly 24 h ahead by default', () => {
    const r = parseEvent(at(DAY), SERVICE);
    expect(r).toMatchObject({ ok: true, occurredAtMs: NOW.getTime() + DAY });
  });

  it('rejects 24 h + 1 ms ahead with OCCURRED_AT_IN_FUTURE', () => {
    expect(rejection(at(DAY + 1))).toEqual({
      code: RejectionCode.OCCURRED_AT_IN_FUTURE,
      message:
        'occurredAt: 2026-04-14T00:00:00.001Z is more than 86400000 ms ahead of 2026-04-13T00:00:00.000Z',
    });
  });

  it('honours a configured skew, with the offset applied before comparing', () => {
    const opts = { ...SERVICE, maxFutureSkewMs: 60_000 };
    expect(parseEvent(withEnvelope({ occurredAt: '2026-04-13T08:01:00+08:00' }), opts).ok).toBe(true);
    expect(rejection(withEnvelope({ occurredAt: '2026-04-13T08:01:00.001+08:00' }), opts).code).toBe(
      RejectionCode.OCCURRED_AT_IN_FUTURE,
    );
  });

  it('accepts events from long ago (late telematics, replays)', () => {
    expect(parseEvent(withEnvelope({ occurredAt: '2019-01-01T00:00:00Z' }), SERVICE).ok).toBe(true);
  });
});

describe('size limit', () => {
  const padTo = (bytes: number) => {
    const body = JSON.stringify({ ...base, pad: '' });
    return body.replace('"pad":""', `"pad":"${'x'.repeat(bytes - Buffer.byteLength(body))}"`);
  };

  it('accepts exactly 1 MiB and rejects 1 MiB + 1 byte with TOO_LARGE', () => {
    expect(Buffer.byteLength(padTo(DEFAULT_MAX_BYTES))).toBe(1_048_576);
    expect(parseEvent(padTo(DEFAULT_MAX_BYTES), SERVICE).ok).toBe(true);
    expect(rejection(Buffer.from(padTo(DEFAULT_MAX_BYTES + 1)))).toEqual({
      code: RejectionCode.TOO_LARGE,
      message: 'message is 1048577 bytes; the limit is 1048576 bytes',
    });
  });

  it('counts UTF-8 bytes, not characters, for string input', () => {
    const raw = withEnvelope({ source: 'é'.repeat(100) });
    const bytes = Buffer.byteLength(raw);
    expect(parseEvent(raw, { ...SERVICE, maxBytes: bytes }).ok).toBe(true);
    expect(rejection(raw, { ...SERVICE, maxBytes: bytes - 1 }).code).toBe(RejectionCode.TOO_LARGE);
    expect(raw.length).toBeLessThan(bytes - 1);
  });
});

describe('personal data never appears in rejection messages', () => {
  const NAME = 'Zhang Wei Secretname';
  const PHONE = '+86-138-0013-8000';
  const EMAIL = 'zhang.wei@example.cn';
  const customer = (data: object) =>
    JSON.stringify({
      ...base,
      type: 'customer.upserted',
      data: { customerId: 'c1', branchId: 'b1', ...data },
    });

  it.each<[string, string, string]>([
    [
      'phone of the wrong type',
      customer({ name: NAME, phone: 13800138000, email: EMAIL }),
      'data.phone: must be a string',
    ],
    [
      'email of the wrong type',
      customer({ name: NAME, phone: PHONE, email: [EMAIL] }),
      'data.email: must be a string',
    ],
    [
      'name of the wrong type',
      customer({ name: { first: NAME }, phone: PHONE, email: EMAIL }),
      'data.name: must be a string',
    ],
    ['empty name', customer({ name: '', phone: PHONE, email: EMAIL }), 'data.name: must not be empty'],
    [
      'missing customerId',
      customer({ customerId: undefined, name: NAME, phone: PHONE }),
      'data.customerId: is required',
    ],
  ])('%s: names the field only', (_name, raw, message) => {
    const r = rejection(raw);
    expect(r).toEqual({ code: RejectionCode.SCHEMA_INVALID, message });
    for (const secret of [NAME, PHONE, EMAIL, '13800138000', 'Zhang'])
      expect(r.message).not.toContain(secret);
  });

  it('does not echo the JSON parser message, which quotes the input', () => {
    const r = rejection(`{"type":"customer.upserted","data":{"name":"${NAME}" "phone":"${PHONE}"}}`);
    expect(r).toEqual({ code: RejectionCode.INVALID_JSON, message: 'message is not valid JSON' });
  });

  it('does not echo survey comments', () => {
    const raw = JSON.stringify({
      ...base,
      type: 'survey.responded',
      data: { surveyId: 's', customerId: 'c', comment: 42 },
    });
    expect(rejection(raw).message).toBe('data.comment: must be a string');
  });
});

describe('robustness', () => {
  it('ignores a deeply nested unknown field without throwing', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const raw = withEnvelope({}).replace('"workOrderId"', `"extra":${deep},"workOrderId"`);
    expect(raw).toContain('"data":{"extra":[[[');
    expect(parseEvent(raw, SERVICE)).toMatchObject({ ok: true, event: { data: { workOrderId: 'w1' } } });
  });

  it('rejects deeply nested input where an object is required', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(rejection(withEnvelope({}).replace(/"data":\{.*\}\}$/, `"data":${deep}}`))).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message: 'data: must be an object',
    });
  });

  it('throws for an invalid now (a programming error, not a bad message)', () => {
    expect(() => parseEvent(JSON.stringify(base), { topicKind: 'service', now: new Date('nope') })).toThrow(
      RangeError,
    );
  });
});
