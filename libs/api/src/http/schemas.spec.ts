import { CompleteBody, CustomerIdParams, SerialParams } from './schemas';
import { ZodPipe } from './zod-pipe';

describe('API input schemas', () => {
  const body = new ZodPipe(CompleteBody, 'body');
  const serial = new ZodPipe(SerialParams, 'params');
  const customer = new ZodPipe(CustomerIdParams, 'params');

  it('refuse a note Postgres cannot store, naming the field and the problem', () => {
    expect(() => body.transform({ outcome: 'unreachable', note: 'a\u0000b' })).toThrow(
      'body.note: must not contain the NUL character (\\u0000)',
    );
    expect(() => body.transform({ outcome: 'unreachable', note: 'a\ud800b' })).toThrow(
      'body.note: must not contain an unpaired UTF-16 surrogate (invalid Unicode)',
    );
    expect(() => body.transform({ outcome: 'unreachable', note: '\udc00' })).toThrow('unpaired');
    expect(body.transform({ outcome: 'unreachable', note: 'ok 🚜\nline two' })).toEqual({
      outcome: 'unreachable',
      note: 'ok 🚜\nline two',
    });
  });

  it("accept the event contract's identifiers: any 1-128 characters without control characters", () => {
    expect(serial.transform({ serial: 'CAT 320/7' })).toEqual({ serial: 'CAT 320/7' });
    expect(customer.transform({ id: '10023/01' })).toEqual({ id: '10023/01' });
    expect(customer.transform({ id: 'Müller & Söhne #4 🚜' })).toEqual({ id: 'Müller & Söhne #4 🚜' });
    expect(customer.transform({ id: 'x'.repeat(128) })).toEqual({ id: 'x'.repeat(128) });
    expect(() => customer.transform({ id: 'x'.repeat(129) })).toThrow('params.id: must be 1-128 characters');
    expect(() => customer.transform({ id: '' })).toThrow('params.id: must be 1-128 characters');
    for (const bad of ['a\u0000b', 'tab\there', 'new\nline', 'del\u007f', 'c1\u0085']) {
      expect(() => serial.transform({ serial: bad })).toThrow(
        'params.serial: must not contain control characters',
      );
    }
    expect(() => serial.transform({ serial: 'a\ud800' })).toThrow(
      'params.serial: must not contain an unpaired',
    );
  });
});
