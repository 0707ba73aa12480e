import type { ReplayReport } from './replay-report';
import { fmt, table } from './table';

const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : fmt(n));

/** The replay report for a person: the summary first, then the details. */
export function formatReplayReport(r: ReplayReport, run?: { handled: number; elapsedMs: number }): string {
  const out: string[] = [];
  const live = r.live;
  out.push(
    `Replay "${r.name}" (${r.status}) — schema ${r.schema}, rule set ${r.ruleSetVersion}` +
      (r.dealer === null ? '' : `; decisions of dealer ${r.dealer} only`),
  );
  out.push(
    `  read:       ${fmt(r.events.planned)} events planned (${r.from} → ${r.to}), ${fmt(r.events.rejected)} rejected` +
      (r.dealer === null ? '' : ' (every dealer)'),
  );
  if (run && run.elapsedMs > 0) {
    const eps = run.handled / (run.elapsedMs / 1000);
    out.push(
      `  this run:   ${fmt(run.handled)} events in ${(run.elapsedMs / 1000).toFixed(1)} s (${fmt(Math.round(eps))} events/s)${r.resumed ? `, resumed ${r.resumed}×` : ''}`,
    );
  }
  out.push(
    `  decisions:  ${fmt(r.decisions.total)} for ${fmt(r.decisions.customers)} customers; ${fmt(r.suppressions.total)} suppressions`,
  );
  if (live === null) {
    out.push(`  vs live:    nothing to compare with (the live schema has no decisions table)`);
    out.push('', 'Decisions by reason');
    out.push(
      table(
        ['reason', 'decisions'],
        r.decisions.byReason.map((x) => [x.key, x.count]),
      ),
    );
  } else {
    const identical = live.changed === 0 && live.onlyLive === 0 && live.onlyReplay === 0;
    out.push(
      `  vs live:    ${identical ? 'identical' : 'different'} over ${r.period.from ?? '(nothing read)'} → ${r.period.to ?? '(nothing read)'}: ` +
        `${fmt(live.same)} same, ${fmt(live.changed)} changed, ${fmt(live.onlyReplay)} only in the replay, ${fmt(live.onlyLive)} only live (live ${fmt(live.total)})`,
    );
    out.push('', 'Decisions by reason (replay vs live, same period)');
    out.push(
      table(
        ['reason', 'replay', 'live', 'difference'],
        live.byReason.map((x) => [x.reason, x.replay, x.live, signed(x.replay - x.live)]),
      ),
    );
  }
  out.push('', 'Decisions by branch');
  out.push(
    table(
      ['dealer', 'branch', 'decisions'],
      r.decisions.byBranch.map((x) => [x.dealer, x.branch, x.count]),
      2,
    ),
  );
  out.push('', 'Decisions by week (event time, weeks start on Monday)');
  out.push(
    table(
      ['week', 'decisions'],
      r.decisions.byWeek.map((x) => [x.key, x.count]),
    ),
  );
  if (r.suppressions.byReason.length) {
    out.push('', 'Suppressions (no task)');
    out.push(
      table(
        ['reason', 'machines'],
        r.suppressions.byReason.map((x) => [x.key, x.count]),
      ),
    );
  }
  if (r.events.rejectedByCode.length) {
    out.push('', 'Rejected input (recorded in the replay, not dead-lettered)');
    out.push(
      table(
        ['code', 'events'],
        r.events.rejectedByCode.map((x) => [x.key, x.count]),
      ),
    );
  }
  return out.join('\n') + '\n';
}
