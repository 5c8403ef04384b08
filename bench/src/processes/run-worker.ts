import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs bench/src/workers/in-process-worker.ts with `args` and resolves with what it sends back. */
export function runWorker<T>(args: string[]): Promise<T> {
  const script = fileURLToPath(new URL('../workers/in-process-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(script, args, {
      execArgv: ['--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.on('message', (message: { type: string; result: T }) => {
      if (message.type === 'result') result = message.result;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`in-process worker ${args.join(' ')} exited with ${code} and no result`));
    });
  });
}
