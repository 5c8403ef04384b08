import type { AiMateyError } from '../errors/ai-matey-error.ts';
import type { AssistantContentPart, ProviderMetadata } from './content.ts';
import type { ChatResponse, FinishReason, RateLimitInfo, RoutingInfo, Usage, Warning } from './response.ts';
import { emptyUsage } from './response.ts';
import type { StreamEvent } from './stream.ts';

/**
 * Folds stream events into the `ChatResponse` they describe. Used to collect a stream, to read
 * a stream's usage as it passes (cost tracking, logging), and to cache a streamed reply.
 */
export class StreamAccumulator {
  id = '';
  model = '';
  provider = '';
  usage: Usage = emptyUsage();
  finishReason: FinishReason | undefined;
  rawFinishReason: string | undefined;
  warnings: Warning[] = [];
  routing: RoutingInfo | undefined;
  rateLimit: RateLimitInfo | undefined;
  providerMetadata: ProviderMetadata | undefined;
  error: AiMateyError | undefined;
  eventCount = 0;
  private readonly parts: Array<AssistantContentPart | undefined> = [];

  push(event: StreamEvent): void {
    this.eventCount++;
    switch (event.type) {
      case 'start':
        // A provider may repeat its start (Anthropic's duplicate message_start): keep the first id.
        this.id ||= event.id;
        this.model ||= event.model;
        this.provider ||= event.provider;
        if (event.warnings) this.warnings.push(...event.warnings);
        if (event.routing) this.routing = event.routing;
        if (event.rateLimit) this.rateLimit = event.rateLimit;
        return;
      case 'text-delta': {
        const part = this.partAt(event.index, () => ({ type: 'text', text: '' }));
        if (part.type === 'text') {
          part.text += event.delta;
          if (event.citations) part.citations = [...(part.citations ?? []), ...event.citations];
          if (event.providerMetadata)
            part.providerMetadata = mergeMetadata(part.providerMetadata, event.providerMetadata);
        }
        return;
      }
      case 'reasoning-delta': {
        const part = this.partAt(event.index, () => ({ type: 'reasoning', text: '' }));
        if (part.type === 'reasoning') {
          part.text += event.delta;
          if (event.signature) part.signature = (part.signature ?? '') + event.signature;
          if (event.redactedData) part.redactedData = (part.redactedData ?? '') + event.redactedData;
          if (event.providerMetadata)
            part.providerMetadata = mergeMetadata(part.providerMetadata, event.providerMetadata);
        }
        return;
      }
      case 'tool-call-start':
        this.parts[event.index] = {
          type: 'tool-call',
          toolCallId: event.toolCallId,
          toolName: event.toolName,
          arguments: '',
          ...(event.providerMetadata ? { providerMetadata: event.providerMetadata } : {}),
        };
        return;
      case 'tool-call-delta': {
        const part = this.parts[event.index];
        if (part?.type === 'tool-call') part.arguments += event.argumentsDelta;
        return;
      }
      case 'tool-call-end': {
        const existing = this.parts[event.index];
        const providerMetadata = mergeMetadata(
          existing?.type === 'tool-call' ? existing.providerMetadata : undefined,
          event.providerMetadata,
        );
        this.parts[event.index] = {
          type: 'tool-call',
          toolCallId: event.toolCallId,
          toolName: event.toolName,
          arguments: event.arguments,
          ...(providerMetadata ? { providerMetadata } : {}),
        };
        return;
      }
      case 'usage':
        this.usage = event.usage;
        return;
      case 'finish':
        this.finishReason = event.finishReason;
        this.rawFinishReason = event.rawFinishReason;
        this.usage = event.usage;
        if (event.providerMetadata)
          this.providerMetadata = mergeMetadata(this.providerMetadata, event.providerMetadata);
        return;
      case 'error':
        this.error = event.error;
        return;
    }
  }

  /** The content so far, parts in order. */
  content(): AssistantContentPart[] {
    return this.parts.filter((part): part is AssistantContentPart => part !== undefined);
  }

  /** The text parts joined: what a caller that only wants text reads. */
  text(): string {
    let text = '';
    for (const part of this.parts) if (part?.type === 'text') text += part.text;
    return text;
  }

  response(): ChatResponse {
    const response: ChatResponse = {
      id: this.id,
      model: this.model,
      provider: this.provider,
      content: this.content(),
      finishReason: this.finishReason ?? (this.error ? 'error' : 'other'),
      usage: this.usage,
      warnings: this.warnings,
    };
    if (this.rawFinishReason !== undefined) response.rawFinishReason = this.rawFinishReason;
    if (this.routing) response.routing = this.routing;
    if (this.rateLimit) response.rateLimit = this.rateLimit;
    if (this.providerMetadata) response.providerMetadata = this.providerMetadata;
    return response;
  }

  private partAt(index: number, create: () => AssistantContentPart): AssistantContentPart {
    let part = this.parts[index];
    if (!part) {
      part = create();
      this.parts[index] = part;
    }
    return part;
  }
}

function mergeMetadata(
  a: ProviderMetadata | undefined,
  b: ProviderMetadata | undefined,
): ProviderMetadata | undefined {
  if (!a) return b;
  if (!b) return a;
  const merged: ProviderMetadata = { ...a };
  for (const [provider, values] of Object.entries(b)) merged[provider] = { ...merged[provider], ...values };
  return merged;
}

/** The stream events that describe a whole response: replaying a cached reply as a stream. */
export function responseToEvents(response: ChatResponse): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: 'start',
      id: response.id,
      model: response.model,
      provider: response.provider,
      ...(response.warnings.length > 0 ? { warnings: response.warnings } : {}),
      ...(response.routing ? { routing: response.routing } : {}),
      ...(response.rateLimit ? { rateLimit: response.rateLimit } : {}),
    },
  ];
  response.content.forEach((part, index) => {
    const providerMetadata = part.providerMetadata ? { providerMetadata: part.providerMetadata } : {};
    if (part.type === 'text') {
      const citations = part.citations ? { citations: part.citations } : {};
      events.push({ type: 'text-delta', index, delta: part.text, ...citations, ...providerMetadata });
    } else if (part.type === 'reasoning') {
      events.push({
        type: 'reasoning-delta',
        index,
        delta: part.text,
        ...(part.signature !== undefined ? { signature: part.signature } : {}),
        ...(part.redactedData !== undefined ? { redactedData: part.redactedData } : {}),
        ...providerMetadata,
      });
    } else {
      events.push({ type: 'tool-call-start', index, toolCallId: part.toolCallId, toolName: part.toolName });
      events.push({
        type: 'tool-call-delta',
        index,
        toolCallId: part.toolCallId,
        argumentsDelta: part.arguments,
      });
      events.push({
        type: 'tool-call-end',
        index,
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        arguments: part.arguments,
        ...providerMetadata,
      });
    }
  });
  events.push({
    type: 'finish',
    finishReason: response.finishReason,
    ...(response.rawFinishReason !== undefined ? { rawFinishReason: response.rawFinishReason } : {}),
    usage: response.usage,
    ...(response.providerMetadata ? { providerMetadata: response.providerMetadata } : {}),
  });
  return events;
}

/** Reads a whole stream into the response it describes; an in-band error event is thrown. */
export async function collectStream(stream: AsyncIterable<StreamEvent>): Promise<ChatResponse> {
  const accumulator = new StreamAccumulator();
  for await (const event of stream) {
    accumulator.push(event);
    if (event.type === 'error') throw event.error;
  }
  return accumulator.response();
}

/** The text of a response's text parts, joined. */
export function responseText(response: Pick<ChatResponse, 'content'>): string {
  let text = '';
  for (const part of response.content) if (part.type === 'text') text += part.text;
  return text;
}
