import type { ChatResponse, FinishReason, Usage } from 'ai.matey.core';
import type { DecodeContext } from 'ai.matey.wire';
import type { AcmeV0Response } from './acme-v0-body.ts';

export function finishReason(stop: string | undefined): FinishReason {
  return stop === 'end' ? 'stop' : stop === 'max_tokens' ? 'length' : 'other';
}

export function usageOf(body: Pick<AcmeV0Response, 'usage'>): Usage {
  const input = body.usage?.input ?? 0;
  const output = body.usage?.output ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

export function fromAcmeV0Response(body: unknown, context: DecodeContext): ChatResponse {
  const reply = body as AcmeV0Response;
  if (typeof reply?.output?.text !== 'string') throw new TypeError('the reply has no output.text');
  return {
    id: reply.id,
    model: reply.model,
    provider: context.provider,
    content: [{ type: 'text', text: reply.output.text }],
    finishReason: finishReason(reply.stop),
    rawFinishReason: reply.stop,
    usage: usageOf(reply),
    warnings: [],
  };
}

export function toAcmeV0Response(response: ChatResponse): Record<string, unknown> {
  const text = response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  const body: AcmeV0Response = {
    id: response.id,
    model: response.model,
    output: { text },
    stop: response.finishReason === 'length' ? 'max_tokens' : 'end',
    usage: { input: response.usage.inputTokens, output: response.usage.outputTokens },
  };
  return { ...body };
}
