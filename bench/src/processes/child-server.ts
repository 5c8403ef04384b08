import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type ChildMessage,
  type LoopDelay,
  loopDelayMonitor,
  type ParentMessage,
  type ProcessStats,
} from '../servers/child-ipc.ts';

export interface ChildServerOptions {
  /** A label for reports: `mock`, `floor`, `gateway`. */
  name: string;
  /** The server script, relative to bench/src/servers. */
  script: string;
  args?: string[];
  /** Extra Node flags (`--cpu-prof`, say). */
  execArgv?: string[];
}

/** CPU used and memory of one process over one measured run. */
export interface ProcessUsage {
  name: string;
  /** CPU time used during the run, in ms. */
  cpuMs: number;
  /** CPU time per completed request, in µs (when a request count is known). */
  cpuUsPerRequest?: number;
  rssMb: number;
  peakRssMb: number;
  /** Event-loop delay during the run: how long ready work waited in this process. */
  loopDelay?: LoopDelay;
}

const MB = 1024 * 1024;

/**
 * One server in its own child process: started with `fork`, ready once it reports its URL, and
 * asked over IPC for CPU and memory (measured inside the child, so the load generator's work
 * never counts against the server).
 */
export class ChildServer {
  readonly name: string;
  readonly #child: ChildProcess;
  #url: string | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, (message: ChildMessage) => void>();
  readonly #exited: Promise<number | null>;

  constructor(options: ChildServerOptions) {
    this.name = options.name;
    const script = fileURLToPath(new URL(`../servers/${options.script}`, import.meta.url));
    this.#child = fork(script, options.args ?? [], {
      execArgv: [...(options.execArgv ?? []), '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    this.#child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') return;
      const resolve = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      resolve?.(message);
    });
  }

  static async start(options: ChildServerOptions): Promise<ChildServer> {
    const server = new ChildServer(options);
    await server.#ready();
    return server;
  }

  get url(): string {
    if (!this.#url) throw new Error(`${this.name} is not ready`);
    return this.#url;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  #ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== 'ready') return;
        this.#url = message.url;
        this.#child.off('message', onMessage);
        resolve();
      };
      this.#child.on('message', onMessage);
      this.#child.once('exit', (code) =>
        reject(new Error(`${this.name} exited (${code}) before it was ready`)),
      );
    });
  }

  #ask(message: ParentMessage & { id: number }): Promise<ChildMessage> {
    return new Promise((resolve) => {
      this.#pending.set(message.id, resolve);
      this.#child.send(message);
    });
  }

  async stats(resetPeak = false): Promise<ProcessStats> {
    const reply = await this.#ask({ type: 'stats', id: this.#nextId++, resetPeak });
    if (reply.type !== 'stats') throw new Error(`${this.name}: unexpected reply ${reply.type}`);
    return reply.stats;
  }

  async command(name: string, payload?: unknown): Promise<unknown> {
    const reply = await this.#ask({ type: 'command', id: this.#nextId++, name, payload });
    if (reply.type !== 'reply' || !reply.ok)
      throw new Error(`${this.name}: ${name} failed: ${JSON.stringify(reply)}`);
    return reply.value;
  }

  /** Asks the child to close and exit (a profile, if any, is written then); kills it after 5 s. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.send({ type: 'exit' } satisfies ParentMessage);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Snapshots of several servers before a run, turned into per-process usage after it. */
export class UsageMeter {
  readonly #servers: ChildServer[];
  #before = new Map<string, ProcessStats>();
  #selfBefore = process.cpuUsage();
  static #selfLoop: ReturnType<typeof loopDelayMonitor> | undefined;

  constructor(servers: ChildServer[]) {
    this.#servers = servers;
  }

  async start(): Promise<void> {
    this.#before = new Map();
    for (const server of this.#servers) this.#before.set(server.name, await server.stats(true));
    this.#selfBefore = process.cpuUsage();
    UsageMeter.#selfLoop ??= loopDelayMonitor();
    UsageMeter.#selfLoop.read(true);
  }

  /** Usage of each server and of this process (the load generator) since `start`. */
  async stop(requests?: number): Promise<ProcessUsage[]> {
    const self = process.cpuUsage(this.#selfBefore);
    const usages: ProcessUsage[] = [];
    for (const server of this.#servers) {
      const after = await server.stats();
      const before = this.#before.get(server.name);
      const cpuUs = after.cpuUs - (before?.cpuUs ?? 0);
      usages.push({
        ...usage(server.name, cpuUs, after.rssBytes, after.peakRssBytes, requests),
        loopDelay: after.loopDelay,
      });
    }
    const rss = process.memoryUsage.rss();
    usages.push({
      ...usage('load-generator', self.user + self.system, rss, rss, requests),
      ...(UsageMeter.#selfLoop ? { loopDelay: UsageMeter.#selfLoop.read(true) } : {}),
    });
    return usages;
  }
}

function usage(
  name: string,
  cpuUs: number,
  rss: number,
  peak: number,
  requests: number | undefined,
): ProcessUsage {
  return {
    name,
    cpuMs: round(cpuUs / 1000, 1),
    ...(requests ? { cpuUsPerRequest: round(cpuUs / requests, 1) } : {}),
    rssMb: round(rss / MB, 1),
    peakRssMb: round(peak / MB, 1),
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
