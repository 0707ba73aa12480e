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
    [
      'read-only transaction after a failover',
      withCode('cannot execute INSERT in a read-only transaction', '25006'),
    ],
    [
      'idle-in-transaction timeout',
      withCode('terminating connection due to idle-in-transaction timeout', '25P03'),
    ],
    ['wrong password', withCode('password authentication failed for user "rp"', '28P01')],
    ['role not permitted to log in', withCode('role "rp" is not permitted to log in', '28000')],
    ['missing database', withCode('database "rp" does not exist', '3D000')],
    ['missing schema', withCode('schema "rp" does not exist', '3F000')],
    ['schema not migrated (table)', withCode('relation "rp.parts_sales" does not exist', '42P01')],
    ['schema not migrated (column)', withCode('column "currency" does not exist', '42703')],
    ['schema not migrated (function)', withCode('function rp.f(text) does not exist', '42883')],
    ['insufficient privilege', withCode('permission denied for table parts_sales', '42501')],
    ['statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['disk full', withCode('could not extend file: No space left on device', '53100')],
    ['out of memory', withCode('out of memory', '53200')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['database dropped', withCode('terminating connection because the database was dropped', '57P04')],
    [
      'read-only wrapped by TypeORM',
      Object.assign(new Error('query failed'), { driverError: withCode('x', '25006') }),
    ],
    [
      'marked transient by its thrower',
      Object.assign(new Error('every event failed alike'), { transient: true }),
    ],
  ])('retries %s', (_, err) => expect(isTransient(err)).toBe(true));

  it.each([
    ['not-null violation', withCode('null value in column', '23502')],
    ['numeric overflow', withCode('numeric field overflow', '22003')],
    ['check violation', withCode('new row violates check constraint', '23514')],
    ['unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['value too long', withCode('value too long for type character varying(64)', '22001')],
    ['in failed transaction (follows another error)', withCode('current transaction is aborted', '25P02')],
    ['syntax error (a bug, not an outage)', withCode('syntax error at or near "SELEC"', '42601')],
    ['transient flag not exactly true', Object.assign(new Error('x'), { transient: 'yes' })],
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
