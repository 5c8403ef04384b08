import {
  type ChatRequest,
  type ChatResponse,
  InvalidRequestError,
  type Middleware,
  mapReply,
  StreamAccumulator,
  type StreamEvent,
} from 'ai.matey.core';
import { createRequestId } from 'ai.matey.core/internal';
import { type ResponseStoreOptions, StoredResponses } from './stored-responses.ts';

export type { ResponseStoreOptions, StoredResponse } from './stored-responses.ts';
export { StoredResponses } from './stored-responses.ts';

/**
 * Continues a conversation by the id of an earlier reply, as the OpenAI Responses API's
 * `previous_response_id` does, with any provider behind it: a request whose
 * `metadata.previousResponseId` names a stored reply gets that conversation put in front of its
 * own messages (after its leading `metadata.instructionMessages` system messages, which are this
 * call's own and are not carried on). Each reply whose request set `metadata.storeResponse: true`
 * is stored under its id (one is minted for a reply without), the conversation so far and the
 * reply with it; a stream is stored once it completes; a store that fails loses the continuation,
 * not the reply. A request with neither field passes by untouched. An unknown or expired id, or
 * one another key stored (`metadata.apiKeyId`), is a 404 `InvalidRequestError`
 * (`previous_response_not_found`). The reply is kept too, with the fields its caller's format
 * repeats (`metadata.replyEcho`), for reading it back (`StoredResponses.get`).
 *
 * @example
 * const bridge = new Bridge({ backend, middleware: [createResponseStoreMiddleware({ store: redis, ttlMs: 3_600_000 })] });
 * const first = await bridge.execute({ messages: [{ role: 'user', content: 'My name is Ada.' }], metadata: { storeResponse: true } });
 * await bridge.execute({ messages: [{ role: 'user', content: 'My name?' }], metadata: { previousResponseId: first.id, storeResponse: true } });
 */
export function createResponseStoreMiddleware(
  options: ResponseStoreOptions | StoredResponses = {},
): Middleware {
  const replies = options instanceof StoredResponses ? options : new StoredResponses(options);
  return {
    name: 'response-store',
    async execute(request, next) {
      const metadata = request.metadata ?? {};
      const instructions = Math.max(0, Number(metadata.instructionMessages) || 0);
      const own = request.messages.slice(0, instructions);
      let conversation = request.messages.slice(instructions);
      const previousId = metadata.previousResponseId;
      const keyId = typeof metadata.apiKeyId === 'string' ? metadata.apiKeyId : undefined;
      if (typeof previousId === 'string' && previousId !== '') {
        const stored = await replies.get(previousId, keyId);
        if (!stored) {
          throw new InvalidRequestError({
            message: `Previous response with id '${previousId}' not found (it may have expired).`,
            status: 404,
            param: 'previous_response_id',
            code: 'previous_response_not_found',
          });
        }
        conversation = [...stored.messages, ...conversation];
      }
      const outgoing: ChatRequest = { ...request, messages: [...own, ...conversation] };
      if (metadata.storeResponse !== true) return next(outgoing);
      // A reply that could not be stored is still the caller's: only its continuation is lost.
      const echo = isRecord(metadata.replyEcho) ? { echo: metadata.replyEcho } : {};
      const save = (response: ChatResponse) =>
        replies
          .set(response.id, keyId, {
            messages: [...conversation, { role: 'assistant', content: response.content }],
            response,
            ...echo,
          })
          .catch(() => {});
      let saving: Promise<void> | undefined;
      const reply = mapReply(await next(outgoing), {
        response: (response) => {
          const named = response.id ? response : { ...response, id: mintResponseId() };
          saving = save(named);
          return named;
        },
        stream: (stream) => saveOnCompletion(stream, save),
      });
      if (saving) await saving;
      return reply;
    },
  };
}

function mintResponseId(): string {
  return createRequestId('resp');
}

/** Names a reply that came without an id, and stores the conversation once the stream completes. */
async function* saveOnCompletion(
  source: AsyncIterable<StreamEvent>,
  save: (response: ChatResponse) => Promise<void>,
): AsyncGenerator<StreamEvent> {
  const accumulator = new StreamAccumulator();
  for await (const event of source) {
    const named = event.type === 'start' && event.id === '' ? { ...event, id: mintResponseId() } : event;
    accumulator.push(named);
    yield named;
  }
  if (!accumulator.error) await save(accumulator.response());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
