import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from './evaluate';
import { DEFAULT_RULE_SET } from './rules/default-rule-set';
import { at, customer, machine, purchase, reading } from './spec-helpers';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && e.name !== 'spec-helpers.ts'
        ? [join(dir, e.name)]
        : [],
  );
}

describe('no clock reads', () => {
  it('no domain source reads the clock or does I/O', () => {
    const offenders = sources(__dirname).filter((file) =>
      /Date\.now\(|new Date\(\s*\)|performance\.now|process\.hrtime|Math\.random|from '(node:)?(fs|http|https|net|child_process)'|@nestjs|typeorm/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
    expect(sources(__dirname).length).toBeGreaterThan(30);
  });

  it('evaluates with the clock functions booby-trapped', () => {
    const RealDate = Date;
    class TrappedDate extends RealDate {
      constructor(...args: [number?]) {
        if (args.length === 0) throw new Error('clock read: new Date()');
        super(args[0]!);
      }
      static override now(): number {
        throw new Error('clock read: Date.now()');
      }
    }
    const m = machine({
      warranty: { startsAt: at('2025-03-01'), endsAt: at('2026-03-01'), hoursLimit: 2000, eventId: 'w-1' },
      readings: [reading(at('2026-01-01'), 1700, 't-1'), reading(at('2026-02-01'), 1800, 't-2')],
      lastTelematics: { at: at('2026-02-01'), eventId: 't-2' },
    });
    const c = customer({ purchases: [purchase('p-1', at('2025-10-01')), purchase('p-2', at('2025-11-01'))] });
    global.Date = TrappedDate as DateConstructor;
    try {
      const out = evaluate([m], c, at('2026-02-02'), DEFAULT_RULE_SET);
      expect(out.decisions.map((d) => d.reasonCode)).toEqual([
        'PURCHASE_GAP',
        'WARRANTY_ENDING_UNCOVERED',
        'MAINTENANCE_OVERDUE',
      ]);
    } finally {
      global.Date = RealDate;
    }
  });
});
