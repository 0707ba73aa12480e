import { backoffMs, isTransient } from './transient';

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('isTransient', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['cannot connect now', withCode('the database system is starting up', '57P03')],
    ['deadlock', withCode('deadlock detected', '40P01')],
    ['serialization', withCode('could not serialize access', '40001')],
    ['connection exception class', withCode('connection failure', '08006')],
    ['terminated without code', new Error('Connection terminated unexpectedly')],
    ['wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: withCode('x', '57P01') })],
    ['plain object from another realm', { message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' }],
  ])('retries %s', (_, err) => expect(isTransient(err)).toBe(true));

  it.each([
    ['not-null violation', withCode('null value in column', '23502')],
    ['numeric overflow', withCode('numeric field overflow', '22003')],
    ['a programming error', new TypeError('x is not a function')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('does not retry %s', (_, err) => expect(isTransient(err)).toBe(false));
});

describe('backoffMs', () => {
  it('doubles from 200 ms and stops at the cap', () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a))).toEqual([200, 400, 800, 1600]);
    expect(backoffMs(20)).toBe(10_000);
    expect(backoffMs(5, 1000)).toBe(1000);
  });
});
