import type { ChatResponse, StreamEvent, Usage } from 'ai.matey.core';
import { cacheHeaders, headerSafe, warningHeaders } from './reply-headers.ts';

/** Tracks just what the gateway reports about a stream (no text kept). */
export class StreamProgress {
  provider = 'unknown';
  model = 'unknown';
  id = '';
  backend: string | undefined;
  attempts: number | undefined;
  warnings: Array<{ type: string; message: string }> = [];
  cache: Record<string, string> = {};
  usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

  constructor(first: StreamEvent | undefined) {
    if (first) this.see(first);
  }

  see(event: StreamEvent): void {
    if (event.type === 'start') {
      this.provider = event.provider || this.provider;
      this.model = event.model || this.model;
      this.id ||= event.id;
      this.backend = event.routing?.backend ?? this.backend;
      this.attempts = event.routing?.attempts ?? this.attempts;
      for (const warning of event.warnings ?? []) this.warnings.push(warning);
      this.cache = cacheHeaders(event.metadata);
    } else if (event.type === 'usage' || event.type === 'finish') this.usage = event.usage;
  }

  headers(requestId: string): Record<string, string> {
    const headers: Record<string, string> = {
      'x-request-id': requestId,
      'x-matey-provider': headerSafe(this.provider),
      'x-matey-model': headerSafe(this.model),
    };
    if (this.attempts !== undefined) headers['x-matey-attempts'] = String(this.attempts);
    if (this.backend) headers['x-matey-backend'] = headerSafe(this.backend);
    return Object.assign(headers, warningHeaders(this.warnings), this.cache);
  }

  response(): ChatResponse {
    return {
      id: this.id,
      model: this.model,
      provider: this.provider,
      content: [],
      finishReason: 'stop',
      usage: this.usage,
      warnings: [],
    };
  }
}
