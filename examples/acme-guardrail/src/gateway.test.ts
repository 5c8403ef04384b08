/**
 * The plug-in as a user runs it: a config file names it by path under `guardrails:`, the gateway
 * starts from that file, and the official OpenAI client streams an answer that the guardrail
 * stops mid-way: the client reads the text before the code name, then throws an `APIError`
 * carrying the guardrail's message. Anthropic callers get `event: error`; `/metrics` counts it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, type StartedGateway, startGateway } from 'ai.matey.gateway';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pluginPath = fileURLToPath(new URL('./index.ts', import.meta.url));
// Long enough that several windows of 48 characters go out before the code name arrives.
const answer =
  'Thanks for asking about our roadmap. This quarter we are improving search, billing and the ' +
  'mobile app, and next quarter Project PELICAN ships to everyone with the new dashboard.';

/** The config file a user writes: a provider, and the plug-in named by its path with its options. */
async function writeConfig(dir: string, upstreamUrl: string): Promise<string> {
  const configFile = join(dir, 'matey.config.yaml');
  await writeFile(
    configFile,
    [
      'server: { port: 0 }',
      'providers:',
      `  acme-llm: { type: openai-compatible, baseURL: "${upstreamUrl}/v1", models: [acme-chat] }`,
      'middleware: { logging: false, guardrailWindowChars: 48 }',
      'guardrails:',
      `  - use: "${pluginPath}"`,
      '    options: { codenames: [PELICAN, HERON] }',
    ].join('\n'),
  );
  return configFile;
}

/** Streams a question with the official OpenAI client: the text it read, and what it threw. */
async function askStreaming(baseURL: string): Promise<{ text: string; error: unknown }> {
  const client = new OpenAI({ apiKey: 'unused', baseURL, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'acme-chat',
    stream: true,
    messages: [{ role: 'user', content: 'What is on the roadmap?' }],
  });
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

let upstream: MockUpstream;
let gateway: StartedGateway;
let dir: string;

beforeAll(async () => {
  upstream = await startMockUpstream({ reply: { text: answer, chunkCount: 40, chunkDelayMs: 5 } });
  dir = await mkdtemp(join(tmpdir(), 'acme-guardrail-'));
  const configFile = await writeConfig(dir, upstream.url);
  gateway = await startGateway(await loadConfigFile(configFile, {}), { configFile });
});

afterAll(async () => {
  await gateway?.shutdown();
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

const blocked = 'The answer was blocked by guardrail acme-codenames: mentions an internal code name (1 time)';

describe('the acme-codenames guardrail loaded from the gateway config', () => {
  it('stops a stream mid-answer; the OpenAI client reads the text before, then throws our error', async () => {
    const { text, error } = await askStreaming(`${gateway.url}/v1`);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain(blocked);
    // Mid-answer: the windows before the code name were sent, the one holding it never was.
    expect(text.length).toBeGreaterThan(60);
    expect(answer.startsWith(text)).toBe(true);
    expect(text).not.toContain('PELICAN');
  });

  it('ends an Anthropic stream with event: error carrying the same message', async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'acme-chat',
        max_tokens: 200,
        stream: true,
        messages: [{ role: 'user', content: 'What is on the roadmap?' }],
      }),
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(
      /event: error\ndata: \{"type":"error","error":\{"type":"\w+_error","message":"[^"]+"/,
    );
    expect(body).toContain(blocked);
    expect(body).not.toContain('message_stop');
  });

  it('flags a question that names a code name (x-matey-guardrail) and answers it', async () => {
    upstream.enqueue({ text: 'I cannot discuss unreleased work.' });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'acme-chat', messages: [{ role: 'user', content: 'Is HERON late?' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-matey-guardrail')).toBe(
      'acme-codenames: mentions an internal code name (1 time)',
    );
    // A stream's headers go out with its first event, the input's flags among them.
    upstream.enqueue({ text: 'Not yet.', chunkCount: 2 });
    const streamed = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'acme-chat',
        stream: true,
        messages: [{ role: 'user', content: 'Is HERON late?' }],
      }),
    });
    expect(streamed.headers.get('x-matey-guardrail')).toBe(
      'acme-codenames: mentions an internal code name (1 time)',
    );
    expect(await streamed.text()).toContain('data: [DONE]');
  });

  it('counts every verdict in /metrics', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const count = (phase: string, verdict: string) =>
      Number(
        new RegExp(
          `matey_guardrail_verdicts_total\\{guardrail="acme-codenames",phase="${phase}",verdict="${verdict}"\\} (\\d+)`,
        ).exec(metrics)?.[1] ?? 0,
      );
    expect(count('output', 'block')).toBe(2);
    expect(count('input', 'flag')).toBe(2);
    expect(count('input', 'pass')).toBe(2);
    expect(count('output', 'pass')).toBe(2);
  });
});
