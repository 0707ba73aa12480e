import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `decisions.p_alive`: the customer's BG/NBD P(alive) as of the decision, unrounded; null when the model had
 * no estimate (no model for the dealer yet, or no repeat purchase). The "high-value" segment reads it
 * (P(alive) ≥ 0.7): 1 − p_lapse is no P(alive) — without an estimate p_lapse comes from the configured default
 * retention, and it is rounded to 2 decimals (a P(alive) of 0.696 read back as 0.7). Decisions recorded before
 * this column keep null (unknown): the customer's next decision carries its P(alive).
 */
export class DecisionPAlive1795301880000 implements MigrationInterface {
  name = 'DecisionPAlive1795301880000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE decisions ADD COLUMN p_alive numeric');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE decisions DROP COLUMN p_alive');
  }
}
