import { SingleBar } from 'cli-progress';

/** How far a replay is: events handled of the planned total. */
export interface ProgressSink {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

const fmtEta = (s: number): string => {
  if (!Number.isFinite(s) || s < 0) return '—';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${sec} s` : `${sec} s`;
};

/**
 * A progress bar with rate and ETA on a terminal; on anything else (CI logs, a pipe) one plain line
 * every `everyMs`, so logs stay readable.
 */
export function progressSink(out: NodeJS.WriteStream = process.stderr, everyMs = 5000): ProgressSink {
  let startedAt = 0;
  let base = 0;
  let total = 0;
  let last = 0;
  const rate = (done: number) => (done - base) / Math.max((Date.now() - startedAt) / 1000, 0.001);
  if (out.isTTY) {
    const bar = new SingleBar({
      format: 'replay {bar} {percentage}% | {value}/{total} events | {speed} events/s | ETA {etaText}',
      stream: out,
      hideCursor: true,
    });
    return {
      start(t, done) {
        startedAt = Date.now();
        base = done;
        total = t;
        bar.start(t, done, { speed: '0', etaText: '—' });
      },
      update(done) {
        const r = rate(done);
        bar.update(done, { speed: Math.round(r).toLocaleString('en'), etaText: fmtEta((total - done) / r) });
      },
      stop: () => bar.stop(),
    };
  }
  const line = (done: number) => {
    const r = rate(done);
    const pct = total ? Math.floor((done / total) * 100) : 100;
    out.write(
      `replay ${pct}% | ${done.toLocaleString('en')}/${total.toLocaleString('en')} events | ` +
        `${Math.round(r).toLocaleString('en')} events/s | ETA ${fmtEta((total - done) / r)}\n`,
    );
  };
  return {
    start(t, done) {
      startedAt = Date.now();
      base = done;
      total = t;
      last = Date.now();
      line(done);
    },
    update(done) {
      if (Date.now() - last < everyMs) return;
      last = Date.now();
      line(done);
    },
    stop: () => undefined,
  };
}

export const silentProgress: ProgressSink = {
  start: () => undefined,
  update: () => undefined,
  stop: () => undefined,
};
