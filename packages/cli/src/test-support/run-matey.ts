import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROVIDER_PROFILES } from 'ai.matey.backend';

export const binPath = fileURLToPath(new URL('../bin.ts', import.meta.url));

export interface MateyRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for a `matey` subprocess: the real one without any provider key (so the
 * simulated fleet answers), the fleet instant and never failing, plus `extra`.
 */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MATEY_SIM_TIME_SCALE: '0', MATEY_SIM_FAILURE_RATE: '0' };
  for (const profile of Object.values(PROVIDER_PROFILES)) {
    for (const name of [...profile.apiKeyEnv, ...profile.baseURLEnv]) delete env[name];
  }
  delete env.PORT;
  delete env.HOST;
  return { ...env, ...extra };
}

/** Starts `node bin.ts …` (for tests that talk to it while it runs). */
export function spawnMatey(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildProcess {
  return spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: testEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `node bin.ts …` to the end, with `input` on stdin, and collects its output. */
export function runMatey(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<MateyRun> {
  const child = spawnMatey(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  child.stdin?.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
