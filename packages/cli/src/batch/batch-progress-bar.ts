import type { BatchProgress } from 'ai.matey.patterns';
import type { CliOutput } from '../cli/cli-io.ts';

export interface BatchProgressBarOptions {
  /** Least time between two plain lines when the output is not a terminal. Default 2 s. */
  plainIntervalMs?: number;
  /** Least time between two redraws on a terminal. Default 100 ms. */
  redrawIntervalMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 24;

/**
 * Shows a batch's progress on stderr: on a terminal one line redrawn in place (bar, done/total,
 * failures, rate, ETA); elsewhere (CI logs, files) a plain line now and then, and always the
 * last one.
 */
export class BatchProgressBar {
  readonly #out: CliOutput;
  readonly #plainIntervalMs: number;
  readonly #redrawIntervalMs: number;
  readonly #now: () => number;
  #lastShown = Number.NEGATIVE_INFINITY;
  #drawn = false;
  #lastText = '';

  constructor(out: CliOutput, options: BatchProgressBarOptions = {}) {
    this.#out = out;
    this.#plainIntervalMs = options.plainIntervalMs ?? 2_000;
    this.#redrawIntervalMs = options.redrawIntervalMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
  }

  update(progress: BatchProgress): void {
    const now = this.#now();
    const interval = this.#out.isTTY ? this.#redrawIntervalMs : this.#plainIntervalMs;
    if (progress.done < progress.total && now - this.#lastShown < interval) return;
    this.#lastShown = now;
    this.#show(progress);
  }

  /** Shows the final state and ends the line. */
  finish(progress: BatchProgress): void {
    if (formatProgress(progress, this.#out.isTTY === true) !== this.#lastText) this.#show(progress);
    if (this.#out.isTTY && this.#drawn) this.#out.write('\n');
    this.#drawn = false;
  }

  #show(progress: BatchProgress): void {
    const text = formatProgress(progress, this.#out.isTTY === true);
    this.#lastText = text;
    if (this.#out.isTTY) {
      this.#out.write(`\r\u001b[2K${text}`);
      this.#drawn = true;
    } else this.#out.write(`${text}\n`);
  }
}

/** `[#####…] 12/20 60% · 1 failed · 3.2/s · ETA 3s` (no bar when not on a terminal). */
export function formatProgress(progress: BatchProgress, bar: boolean): string {
  const { done, total, failed, ratePerSecond, etaMs } = progress;
  const share = total === 0 ? 1 : done / total;
  const parts = [`${done}/${total} ${Math.floor(share * 100)}%`];
  if (failed > 0) parts.push(`${failed} failed`);
  parts.push(`${ratePerSecond.toFixed(1)}/s`);
  if (done < total) parts.push(`ETA ${etaMs === undefined ? '?' : duration(etaMs)}`);
  else parts.push(`in ${duration(progress.elapsedMs)}`);
  const filled = Math.round(share * BAR_WIDTH);
  const prefix = bar ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : 'batch: ';
  return prefix + parts.join(' · ');
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
