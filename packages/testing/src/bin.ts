#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { MockUpstreamReply } from './mock-upstream/mock-upstream-reply.ts';

// Checked before the server code loads. Keep in step with `engines` in package.json.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `ai-matey-mock-upstream needs Node.js 22.12 or newer; this is Node.js ${process.versions.node}.`,
  );
  process.exit(1);
}

const usage = `Usage: ai-matey-mock-upstream [options]
Starts a mock LLM upstream (OpenAI, Anthropic and Gemini wire formats) on 127.0.0.1.

  --port N          port (default: an ephemeral one)
  --latency MS      wait before the first byte (default 0)
  --chunks N        split each reply's text into N stream deltas
  --chunk-delay MS  wait between SSE events
  --tps N           tokens per second for text deltas
  --text TEXT       reply with this text (default: echo the last user message)
  --fixture NAME    replay a recorded fixture (ai.matey.fixtures, recorded/<protocol>/NAME)
  --rpm N           enforce N requests per minute (429 beyond)
  --api-key KEY     require this API key (repeatable)
  --log             keep the request log (off: a long benchmark would grow it)
  -h, --help        this text`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    latency: { type: 'string' },
    chunks: { type: 'string' },
    'chunk-delay': { type: 'string' },
    tps: { type: 'string' },
    text: { type: 'string' },
    fixture: { type: 'string' },
    rpm: { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    log: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    console.error(`--${name} wants a non-negative number, got "${value}"\n\n${usage}`);
    process.exit(2);
  }
  return parsed;
}

const defaults: MockUpstreamReply = {};
const latencyMs = numberOption('latency', values.latency);
const chunkCount = numberOption('chunks', values.chunks);
const chunkDelayMs = numberOption('chunk-delay', values['chunk-delay']);
const tokensPerSecond = numberOption('tps', values.tps);
const requestsPerMinute = numberOption('rpm', values.rpm);
const port = numberOption('port', values.port);
if (latencyMs !== undefined) defaults.latencyMs = latencyMs;
if (chunkCount !== undefined) defaults.chunkCount = chunkCount;
if (chunkDelayMs !== undefined) defaults.chunkDelayMs = chunkDelayMs;
if (tokensPerSecond !== undefined) defaults.tokensPerSecond = tokensPerSecond;
if (values.text !== undefined) defaults.text = values.text;
if (values.fixture !== undefined) defaults.fixture = values.fixture;

const { startMockUpstream } = await import('./mock-upstream/mock-upstream.ts');
const upstream = await startMockUpstream({
  defaults,
  log: values.log,
  ...(port !== undefined ? { port } : {}),
  ...(requestsPerMinute !== undefined ? { rateLimit: { requestsPerMinute } } : {}),
  ...(values['api-key'] ? { apiKeys: values['api-key'] } : {}),
});
console.log(upstream.url);

const stop = () => {
  void upstream.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
