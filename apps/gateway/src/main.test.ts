import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const runSh = fileURLToPath(new URL('../../../run.sh', import.meta.url));
const started: ChildProcess[] = [];

afterEach(() => {
  // run.sh execs pnpm, which starts node in a shell: stop the whole group this test started.
  for (const child of started.splice(0)) {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  }
});

/** `./run.sh start` from `cwd`, as a user types it; resolves with the URL and the output so far. */
async function runShStart(cwd: string): Promise<{ url: string; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', MATEY_SIM_TIME_SCALE: '0' };
  for (const name of ['MATEY_START_DIR', 'INIT_CWD', 'HOST', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY'])
    delete env[name];
  const child = spawn('bash', [runSh, 'start'], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const read = (text: string) => {
      out += text;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found?.[1]) resolve({ url: found[1], out });
    };
    child.stdout?.setEncoding('utf8').on('data', read);
    child.stderr?.setEncoding('utf8').on('data', read);
    child.once('exit', (code) => reject(new Error(`run.sh start exited ${code}: ${out}`)));
  });
}

describe('./run.sh start', () => {
  it('loads matey.config.yaml from the folder the user started it in, says so, and enforces its keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matey-run-sh-'));
    await writeFile(join(dir, 'matey.config.yaml'), 'keys:\n  - id: me\n    key: run-sh-key-123\n');
    const { url, out } = await runShStart(dir);
    expect(out).toContain(`Config: ${join(dir, 'matey.config.yaml')}`);
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const call = (headers: Record<string, string>) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: 'Bearer run-sh-key-123' })).status).toBe(200);
  }, 60_000);
});
