import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** What a server child reports about itself: CPU time since start and memory now and at peak. */
export interface ProcessStats {
  /** CPU time (user + system) since the process started, in microseconds. */
  cpuUs: number;
  rssBytes: number;
  /** Highest RSS sampled since the last `reset-peak` (sampled every 100 ms). */
  peakRssBytes: number;
  heapUsedBytes: number;
  /** Garbage collection since the process started: pause time (ms) and young-generation scavenges. */
  gc: { ms: number; scavenges: number; fullCollections: number };
  /** Event-loop delay since the last `reset-peak`: how long a ready callback waited (ms). */
  loopDelay: LoopDelay;
}

/** Percentiles of the event loop's delay (from `monitorEventLoopDelay`, 1 ms resolution). */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Samples this process's event-loop delay; `read(reset)` gives the percentiles since the last
 * reset. A request waits in a busy loop for about this long before its callback runs.
 */
export function loopDelayMonitor(): { read(reset: boolean): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    read(reset) {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const delay = {
        p50Ms: ms(histogram.percentile(50)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
      };
      if (reset) histogram.reset();
      return delay;
    },
  };
}

/** Messages the parent sends to a server child. */
export type ParentMessage =
  | { type: 'stats'; id: number; resetPeak?: boolean }
  | { type: 'command'; id: number; name: string; payload?: unknown }
  | { type: 'exit' };

/** Messages a server child sends back. */
export type ChildMessage =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'stats'; id: number; stats: ProcessStats }
  | { type: 'reply'; id: number; ok: boolean; value?: unknown; error?: string };

export type CommandHandler = (payload: unknown) => unknown | Promise<unknown>;

/**
 * The child side of the bench's IPC: answers `stats` (CPU and RSS, measured inside the child so
 * the parent's own work never counts), runs named commands, and on `exit` closes and exits
 * cleanly (so a `--cpu-prof` profile gets written).
 */
export function serveChildIpc(
  url: string,
  commands: Record<string, CommandHandler>,
  close: () => Promise<void>,
): void {
  const send = (message: ChildMessage) => process.send?.(message);
  let peak = process.memoryUsage.rss();
  const loop = loopDelayMonitor();
  const gc = gcCounter();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 100);
  sampler.unref();

  process.on('message', (raw: ParentMessage) => {
    if (raw.type === 'stats') {
      const cpu = process.cpuUsage();
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
      send({
        type: 'stats',
        id: raw.id,
        stats: {
          cpuUs: cpu.user + cpu.system,
          rssBytes: rss,
          peakRssBytes: peak,
          heapUsedBytes: process.memoryUsage().heapUsed,
          gc: { ...gc },
          loopDelay: loop.read(raw.resetPeak === true),
        },
      });
      if (raw.resetPeak) peak = rss;
    } else if (raw.type === 'command') {
      const handler = commands[raw.name] ?? builtInCommands[raw.name];
      Promise.resolve()
        .then(() => {
          if (!handler) throw new Error(`unknown command ${raw.name}`);
          return handler(raw.payload);
        })
        .then(
          (value) => send({ type: 'reply', id: raw.id, ok: true, value }),
          (error: unknown) => send({ type: 'reply', id: raw.id, ok: false, error: String(error) }),
        );
    } else if (raw.type === 'exit') {
      clearInterval(sampler);
      const timer = setTimeout(() => process.exit(0), 3000);
      close().finally(() => {
        clearTimeout(timer);
        process.exit(0);
      });
    }
  });
  // The parent died: do not linger as an orphan holding a port.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url, pid: process.pid });
}

/** Counts this process's GC pauses (from `gc` performance entries) as they happen. */
function gcCounter(): ProcessStats['gc'] {
  const totals = { ms: 0, scavenges: 0, fullCollections: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      totals.ms += entry.duration;
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) totals.scavenges++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) totals.fullCollections++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return totals;
}

/** Commands every child answers: `gc` runs a full collection (when started with `--expose-gc`). */
const builtInCommands: Record<string, CommandHandler> = {
  gc: () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('gc needs --expose-gc');
    gc();
  },
};

/** Reads `--name=value` from this process's arguments. */
export function argValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
