import { createDataSource } from '@rp/database';
import { preparing } from '@rp/ingest';
import { testConfig, useMigratedSchema } from '../../support';

/** A sweep round's statements run as named prepared statements on the transaction's connection. */
describe('prepared statements (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  useMigratedSchema(ds, config.database.schema);

  const SELECT = `SELECT customer_id, due_at FROM risk_timers WHERE dealer_id = $1 ORDER BY customer_id`;

  beforeEach(async () => {
    await ds.query('DELETE FROM risk_timers');
    await ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES
         ('d1', 'c1', '2025-05-01T00:00:00Z'), ('d1', 'c2', '2025-05-02T00:00:00Z'), ('d2', 'c1', '2025-05-03T00:00:00Z')`,
    );
  });

  it('returns what a plain query returns, and Postgres keeps the statement prepared on that connection', async () => {
    await ds.transaction(async (em) => {
      const db = preparing(em);
      expect(db).not.toBe(em);
      const plain = await em.query(SELECT, ['d1']);
      expect(await db.query(SELECT, ['d1'])).toEqual(plain);
      expect(await db.query(SELECT, ['d2'])).toEqual([
        { customer_id: 'c1', due_at: new Date('2025-05-03T00:00:00Z') },
      ]);
      const held = await em.query<{ statement: string }[]>(
        `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'rp\\_%'`,
      );
      expect(held.map((r) => r.statement)).toContain(SELECT);
    });
  });

  it('gives [rows, count] for a bare UPDATE or DELETE, as TypeORM does, and rows for INSERT … RETURNING', async () => {
    await ds.transaction(async (em) => {
      const db = preparing(em);
      const updated = await db.query(
        `UPDATE risk_timers SET later_ms = '{1}' WHERE dealer_id = $1 RETURNING customer_id`,
        ['d1'],
      );
      expect(updated).toEqual(
        await em.query(`UPDATE risk_timers SET later_ms = '{1}' WHERE dealer_id = $1 RETURNING customer_id`, [
          'd1',
        ]),
      );
      const inserted = await db.query(
        `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ($1, 'c9', now()) RETURNING customer_id`,
        ['d3'],
      );
      expect(inserted).toEqual([{ customer_id: 'c9' }]);
    });
  });

  it('passes a DataSource (no connection of its own) through unchanged', () => {
    expect(preparing(ds)).toBe(ds);
  });

  it('a failing statement fails the transaction with the Postgres error code', async () => {
    await expect(
      ds.transaction((em) => preparing(em).query('SELECT 1 / $1::int AS x', [0])),
    ).rejects.toMatchObject({ code: '22012' });
  });
});
