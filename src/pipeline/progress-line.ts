/**
 * The backfill progress line: a bar, counts, rate and ETA. Pure: takes a state and the elapsed
 * time, returns the text.
 */
import type { BackfillState } from './backfill.ts';

const BAR_WIDTH = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const n = (x: number) => x.toLocaleString('en-US');

/**
 * `[#########---------------] 12,300/50,000 · 410/s · ETA 1m32s · written 12,000 · unchanged 300 · failed 0`.
 * The total is the CRM's count when it gives one, else what is listed once the listing is over;
 * before that the ETA is unknown.
 * @param processedAtStart records already processed when timing started (a resumed run).
 */
export function progressLine(state: BackfillState, elapsedMs: number, processedAtStart = 0): string {
  const total = state.total ?? (state.listingDone ? state.listed : undefined);
  const done = state.processed;
  const rate = elapsedMs > 0 ? ((done - processedAtStart) * 1000) / elapsedMs : 0;
  const ratio = total && total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = total === undefined ? '' : `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] `;
  const counts = total === undefined ? `${n(done)} processed of ${n(state.listed)} listed so far` : `${n(done)}/${n(total)}`;
  const eta = total === undefined || rate <= 0 ? 'ETA ?' : `ETA ${duration((total - done) / rate)}`;
  // Changes gathered for one bulk write count as processed only once written: show them meanwhile.
  const staged = state.staged ? ` · staged for bulk ${n(state.staged)}` : '';
  const tail = `written ${n(state.written)} · unchanged ${n(state.unchanged)} · failed ${n(state.failed)}${staged}`;
  const status = state.status === 'done' ? ' · done' : '';
  return `${state.crm} ${state.objectType}: ${bar}${counts} · ${Math.round(rate)}/s · ${eta} · ${tail}${status}`;
}
