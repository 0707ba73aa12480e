import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACT_PATHS } from './index';

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
