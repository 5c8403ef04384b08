import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROVIDERS, type ProviderName, useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();
afterEach(() => {
  vi.restoreAllMocks();
});

describe('guide pattern 3: automatic failover', () => {
  it('fails over along the chain through the Router, and stops trying a provider after 3 failures', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { bridge } = await import('./blocks/03-automatic-failover.ts');
    const ask = (content: string) => bridge.execute({ messages: [{ role: 'user', content }] });

    providers.upstream.openai.setReply({ error: 'upstream-server' });
    providers.upstream.anthropic.enqueue({ error: 'rate-limited' });
    const first = await ask('Hello');
    expect(first.routing?.backend).toBe('groq');
    expect(first.content).toEqual([{ type: 'text', text: 'Echo: Hello' }]);
    expect((['openai', 'anthropic', 'groq', 'deepseek'] as const).map((p) => providers.calls(p))).toEqual([
      1, 1, 1, 0,
    ]);
    expect(log).toHaveBeenCalledWith('Success with groq');

    // The same middleware serves a stream: failover happens before the first event.
    const streamed = await bridge.stream({ messages: [{ role: 'user', content: 'Stream it' }] }).collect();
    expect(streamed.routing?.backend).toBe('anthropic');

    await ask('Third');
    expect(log).toHaveBeenCalledWith('openai marked as unhealthy (3 failures)');
    await ask('Fourth');
    expect(log).toHaveBeenCalledWith('Skipping openai (marked unhealthy)');
    expect(providers.calls('openai')).toBe(3);
  });

  it("runs under Node's type stripping: `import { Middleware }` is a value", async () => {
    const block = fileURLToPath(new URL('./blocks/03-automatic-failover.ts', import.meta.url));
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    for (const name of Object.keys(PROVIDERS) as ProviderName[]) {
      env[PROVIDERS[name].urlEnv] = `${providers.upstream[name].url}${PROVIDERS[name].path}`;
    }
    const child = spawn(process.execPath, [block], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(stderr.replace(/^.*ExperimentalWarning.*\n?|^\(Use `node --trace-warnings.*\n?/gm, '')).toBe('');
    expect(code).toBe(0);
  });
});
