import { AiMateyError, InvalidRequestError } from 'ai.matey.core';
import { readFixtureFiles } from 'ai.matey.fixtures';
import type { WireCodec, WireModerations } from 'ai.matey.wire';
import { sendError } from './http-io.ts';
import { type Exchange, sendJson } from './reply-writer.ts';
import type { MockUpstreamRequest } from './request-log.ts';

/** Words that make the mock's classifier flag an input (as `violence`). */
const VIOLENT = /\b(kill|hurt|attack|stab)\w*/i;

interface ModerationFixture {
  id: string;
  model: string;
  /** The fixture's two results: a flagged one (`violence`), then a clean one. */
  results: [unknown, unknown];
}

/**
 * Answers a moderation call (OpenAI `POST /v1/moderations`) from the `moderations/
 * openai-moderation` fixture: an input with a word of violence (`kill`, `hurt`, `attack`,
 * `stab`) gets its flagged result, any other its clean one, one result per input in order.
 */
export function serveModeration(
  exchange: Exchange,
  entry: MockUpstreamRequest,
  codec: WireCodec,
  moderations: WireModerations,
  bodyText: string,
): void {
  let input: string[];
  try {
    const body: unknown = JSON.parse(bodyText);
    entry.body = body;
    const request = moderations.decodeCall(body);
    input = request.input;
    if (request.model !== undefined) entry.model = request.model;
  } catch (cause) {
    const error = AiMateyError.isInstance(cause)
      ? cause
      : new InvalidRequestError({ message: `Invalid request body: ${String(cause)}`, cause });
    sendError(exchange, codec, error);
    return;
  }
  const fixture = JSON.parse(
    readFixtureFiles('moderations', 'openai-moderation').json ?? '{}',
  ) as ModerationFixture;
  const [flagged, clean] = fixture.results;
  const results = input.map((text) => (VIOLENT.test(text) ? flagged : clean));
  sendJson(exchange, 200, JSON.stringify({ id: fixture.id, model: fixture.model, results }));
}
