import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  fixtureSseTerminator,
  fixturesDir,
  fixtureToSseFrames,
  readFixtureFiles,
  splitChunks,
} from 'ai.matey.fixtures';
import { type WireProtocol, wireProtocols } from 'ai.matey.wire';

/**
 * A recorded response ready to send: a JSON body with its status, SSE frames, or (`whole`) a
 * recording with only its JSON asked for as a stream, which the protocol's own codec streams.
 */
export type FixtureReplay =
  | { kind: 'json'; status: number; body: string }
  | { kind: 'stream'; frames: string[]; terminator: string }
  | { kind: 'whole'; body: unknown };

// Fixtures are read once per process: replaying them must cost no disk access per request.
const cache = new Map<string, FixtureReplay>();

/**
 * The replay of fixture `name` (or `protocol/name`, or `folder/name`) for a route: `NAME.chunks.txt` framed as the
 * provider sends it when streaming (or, with no such file, `NAME.json` for the codec to stream),
 * `NAME.json` verbatim otherwise. Throws when neither file is there.
 */
export function loadFixtureReplay(protocol: WireProtocol, name: string, stream: boolean): FixtureReplay {
  const slash = name.indexOf('/');
  const prefix = slash === -1 ? undefined : name.slice(0, slash);
  // `PROTOCOL/NAME`, or `FOLDER/NAME` for a folder named apart from its protocol (`cohere-chat`).
  const prefixed =
    prefix !== undefined && (wireProtocols().includes(prefix) || existsSync(join(fixturesDir(), prefix)));
  const fixtureProtocol = prefixed ? prefix : protocol;
  const fixtureName = prefixed ? name.slice(slash + 1) : name;
  const key = `${fixturesDir()}\0${fixtureProtocol}\0${fixtureName}\0${stream}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const files = readFixtureFiles(fixtureProtocol, fixtureName);
  let replay: FixtureReplay;
  // A folder of another protocol's recordings cannot be read by this route's codec.
  const ownProtocol = fixtureProtocol === protocol || !wireProtocols().includes(fixtureProtocol);
  if (stream && files.chunks === undefined && files.json !== undefined && ownProtocol) {
    replay = { kind: 'whole', body: JSON.parse(files.json) };
  } else if (stream) {
    if (files.chunks === undefined) {
      throw new Error(`Fixture "${fixtureName}" (${fixtureProtocol}) has no .chunks.txt to stream`);
    }
    replay = {
      kind: 'stream',
      frames: fixtureToSseFrames(fixtureProtocol, splitChunks(files.chunks)),
      terminator: fixtureSseTerminator(fixtureProtocol),
    };
  } else {
    if (files.json === undefined) {
      throw new Error(`Fixture "${fixtureName}" (${fixtureProtocol}) has no .json to answer with`);
    }
    replay = { kind: 'json', status: fixtureStatus(JSON.parse(files.json)), body: files.json };
  }
  cache.set(key, replay);
  return replay;
}

/**
 * The status a recorded body was sent with: 200, or for an error body its own numeric code
 * (Gemini's `error.code`), Anthropic/OpenAI error types mapped, else 400.
 */
function fixtureStatus(body: unknown): number {
  if (typeof body !== 'object' || body === null || !('error' in body)) return 200;
  const error = (body as { error: unknown }).error;
  // A Responses body always has `error`: `null` when it succeeded.
  if (error === null) return 200;
  if (typeof error !== 'object') return 400;
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === 'number' && code >= 400) return code;
  const statuses: Record<string, number> = {
    authentication_error: 401,
    permission_error: 403,
    not_found_error: 404,
    rate_limit_error: 429,
    api_error: 500,
    overloaded_error: 529,
  };
  return typeof type === 'string' ? (statuses[type] ?? 400) : 400;
}
