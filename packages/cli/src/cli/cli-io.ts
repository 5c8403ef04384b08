import type { Readable } from 'node:stream';

/** A stream the CLI writes to, and whether it is a terminal (colours, progress redraws). */
export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Everything a command touches outside itself, so tests run commands in-process with captured
 * output and a chosen environment, and `bin.ts` passes the real process.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: commands stop cleanly (a batch keeps its checkpoint). */
  signal: AbortSignal;
}

/** The real process's streams and environment, with SIGINT/SIGTERM turned into `signal`. */
export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  };
}
