import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltInWireProtocol } from 'ai.matey.wire';

/** One recorded provider response: a whole JSON body, a stream's payloads (one per line), or both. */
export interface Fixture {
  /** The parsed `NAME.json` body, when the fixture has one. */
  json?: unknown;
  /** The payloads of `NAME.chunks.txt`, one JSON text per line, SSE framing taken off. */
  chunks?: string[];
}

const JSON_SUFFIX = '.json';
const CHUNKS_SUFFIX = '.chunks.txt';

/**
 * The folder of recorded provider responses (`fixtures/`, shipped with this package; recorded by
 * the Vercel AI SDK, Apache-2.0, see its README), or the folder named by `AI_MATEY_FIXTURES`.
 */
export function fixturesDir(): string {
  const fromEnv = process.env.AI_MATEY_FIXTURES;
  if (fromEnv) return resolve(fromEnv);
  return resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
}

/** The fixture names recorded for a protocol (file names without `.json` / `.chunks.txt`), sorted. */
export function listFixtures(protocol: BuiltInWireProtocol): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(join(fixturesDir(), protocol))) {
    if (file.endsWith(CHUNKS_SUFFIX)) names.add(file.slice(0, -CHUNKS_SUFFIX.length));
    else if (file.endsWith(JSON_SUFFIX)) names.add(file.slice(0, -JSON_SUFFIX.length));
  }
  return [...names].sort();
}

/**
 * Reads a fixture's JSON body and stream payloads (whichever exist).
 * Throws when neither file exists, naming the fixture.
 *
 * @example
 * const { json, chunks } = readFixture('openai-chat', 'openai-text');
 */
export function readFixture(protocol: BuiltInWireProtocol, name: string): Fixture {
  const files = readFixtureFiles(protocol, name);
  const fixture: Fixture = {};
  if (files.json !== undefined) fixture.json = JSON.parse(files.json);
  if (files.chunks !== undefined) fixture.chunks = splitChunks(files.chunks);
  return fixture;
}

/** The raw texts of a fixture's two files, as recorded (for verbatim replay). */
export function readFixtureFiles(
  protocol: BuiltInWireProtocol,
  name: string,
): { json?: string; chunks?: string } {
  const base = join(fixturesDir(), protocol, name);
  const files: { json?: string; chunks?: string } = {};
  const json = readOptional(base + JSON_SUFFIX);
  const chunks = readOptional(base + CHUNKS_SUFFIX);
  if (json !== undefined) files.json = json;
  if (chunks !== undefined) files.chunks = chunks;
  if (json === undefined && chunks === undefined) {
    throw new Error(`No fixture "${name}" for ${protocol} in ${fixturesDir()}`);
  }
  return files;
}

/** The payload lines of a `.chunks.txt` file (blank lines skipped). */
export function splitChunks(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/**
 * The SSE frames a provider sends for these payloads, one string per event, framed per the
 * fixtures README; the stream's terminator is apart (`fixtureSseTerminator`).
 */
export function fixtureToSseFrames(protocol: BuiltInWireProtocol, chunks: readonly string[]): string[] {
  if (protocol === 'anthropic-messages') {
    return chunks.map((line) => `event: ${anthropicEventType(line)}\ndata: ${line}\n\n`);
  }
  return chunks.map((line) => `data: ${line}\n\n`);
}

/** What closes a completed stream: OpenAI-style `data: [DONE]`; nothing for Anthropic and Gemini. */
export function fixtureSseTerminator(protocol: BuiltInWireProtocol): string {
  return protocol === 'openai-chat' ? 'data: [DONE]\n\n' : '';
}

/**
 * The whole SSE text a provider sends for these payloads, framed per the fixtures README:
 * OpenAI `data: LINE` then `data: [DONE]`; Anthropic `event: TYPE` + `data: LINE`; Gemini `data: LINE`.
 *
 * @example
 * const sse = fixtureToSse('anthropic-messages', readFixture('anthropic-messages', 'anthropic-text').chunks ?? []);
 */
export function fixtureToSse(protocol: BuiltInWireProtocol, chunks: readonly string[]): string {
  return fixtureToSseFrames(protocol, chunks).join('') + fixtureSseTerminator(protocol);
}

function anthropicEventType(line: string): string {
  const parsed: unknown = JSON.parse(line);
  const type =
    typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined;
  if (typeof type !== 'string')
    throw new Error(`Anthropic stream payload without a type: ${line.slice(0, 80)}`);
  return type;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
