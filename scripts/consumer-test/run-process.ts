import { type ChildProcess, spawn } from 'node:child_process';

const running = new Set<ChildProcess>();

/**
 * Spawns in a process group of its own, so a stop reaches what the command started too (`npx`
 * runs the bin as a child process that would otherwise outlive it and hold the pipes open).
 */
function start(command: string, args: string[], options: RunOptions) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true });
  running.add(child);
  child.once('close', () => running.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Kills every process group started here that still runs (on an early exit). */
export function killAll(): void {
  for (const child of running) signalGroup(child, 'SIGKILL');
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process after this long (it then finishes with code null). Default 120 s. */
  timeoutMs?: number;
}

/** Runs a command to its end and keeps what it printed. */
export function run(command: string, args: string[], options: RunOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = start(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Server {
  /** The first `http://…` URL the server printed. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a long-running command and resolves once it prints an `http://host:port` URL on
 * stdout; rejects with what it printed when it exits first or stays silent for `timeoutMs`.
 */
export function startServer(command: string, args: string[], options: RunOptions): Promise<Server> {
  const child = start(command, args, options);
  let printed = '';
  let settled = false;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      signalGroup(child, 'SIGKILL');
      reject(new Error(`${why}; it printed:\n${printed.trim()}`));
    };
    const timer = setTimeout(() => fail('no URL within the time allowed'), options.timeoutMs ?? 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk;
      const url = /http:\/\/[\w.[\]:-]+:\d+/.exec(printed)?.[0];
      if (!url || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        url,
        output: () => printed,
        async stop() {
          signalGroup(child, 'SIGTERM');
          const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      printed += chunk;
    });
    child.once('error', (error) => fail(error.message));
    child.once('close', (code) => fail(`exited with code ${code} before printing a URL`));
  });
}
