import { readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, REDACT_PATHS } from './index';

function capture(): { logger: pino.Logger; lines: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) });
  const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  return { logger, lines: () => chunks.join('') };
}

describe('log redaction', () => {
  it('never writes personal data or credentials in clear', () => {
    const { logger, lines } = capture();
    logger.info(
      { event: { data: { name: 'Ann Lee', phone: '+86 555', email: 'a@b.c', customerId: 'c-1' } } },
      'x',
    );
    logger.info({ data: { name: 'Bo', email: 'bo@x.y' }, password: 'pw', token: 'tk' }, 'y');
    const out = lines();
    for (const secret of ['Ann Lee', '+86 555', 'a@b.c', 'bo@x.y', '"pw"', '"tk"'])
      expect(out).not.toContain(secret);
    expect(out).toContain('c-1');
    expect(out.match(/\[redacted\]/g)?.length).toBe(7);
  });
});

describe('logged errors', () => {
  /** What TypeORM throws for a failed statement: the bound values, and the pg error's detail, copied. */
  function queryFailedError(): Error {
    const driverError = Object.assign(new Error('relation "alert_subscriptions" does not exist'), {
      code: '42P01',
      detail: 'Failing row contains (d1, https://x.test, SuperSecretHmacKey-123456).',
    });
    return Object.assign(new Error(driverError.message), {
      name: 'QueryFailedError',
      query: 'INSERT INTO alert_subscriptions (dealer_id, url, secret) VALUES ($1, $2, $3)',
      parameters: ['d1', 'https://x.test', 'SuperSecretHmacKey-123456'],
      driverError,
      code: driverError.code,
      detail: driverError.detail,
    });
  }

  it('never carry the values of a failed statement, whichever key holds the error', () => {
    const file = `${tmpdir()}/rp-logger-spec-${process.pid}.log`;
    const logger = createLogger('info', {}, file);
    const err = queryFailedError();
    logger.error({ err }, 'API request failed');
    logger.fatal({ err: queryFailedError(), errorId: 'e-1' }, 'fatal');
    logger.error(queryFailedError(), 'direct');
    logger.warn({ error: queryFailedError() }, 'under another key');
    const out = readFileSync(file, 'utf8');
    unlinkSync(file);
    expect(out.trim().split('\n')).toHaveLength(4);
    expect(out).not.toContain('SuperSecretHmacKey');
    const first = JSON.parse(out.split('\n')[0]) as { err: Record<string, unknown> };
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'relation "alert_subscriptions" does not exist',
      query: 'INSERT INTO alert_subscriptions (dealer_id, url, secret) VALUES ($1, $2, $3)',
      parameters: '[redacted]',
      detail: '[redacted]',
      code: '42P01',
      driverError: { detail: '[redacted]', code: '42P01' },
    });
    // The caller's error keeps its values (the serializer works on a copy).
    expect(err).toMatchObject({ parameters: ['d1', 'https://x.test', 'SuperSecretHmacKey-123456'] });
  });
});
