import { ChatStream, isChatStream } from '../chat-stream.ts';
import type { ChatResponse } from '../spec/response.ts';
import type { StreamEvent } from '../spec/stream.ts';
import type { Reply } from './middleware.ts';

/** What `mapReply` does to each shape of reply; a shape without a function passes unchanged. */
export interface ReplyMapper {
  /** A plain response (an `execute` call, or a cache hit): return the changed response. */
  response?(response: ChatResponse): ChatResponse;
  /** A stream: return it wrapped (`map`, `tap`, or a relay of your own); never collect it. */
  stream?(stream: ChatStream): AsyncIterable<StreamEvent>;
}

/**
 * Changes a reply in whichever shape it came, so a middleware that stamps metadata on a
 * response or wraps a stream does not branch on the shape itself. (To watch how a call ends,
 * use `observeCall`.)
 *
 * @example
 * const reply = await next(request);
 * return mapReply(reply, {
 *   response: (response) => ({ ...response, metadata: { ...response.metadata, stamped: true } }),
 * });
 */
export function mapReply(reply: Reply, mapper: ReplyMapper): Reply {
  if (isChatStream(reply)) {
    if (!mapper.stream) return reply;
    const wrapped = mapper.stream(ChatStream.from(reply));
    return wrapped instanceof ChatStream ? wrapped : new ChatStream(wrapped);
  }
  return mapper.response ? mapper.response(reply) : reply;
}
