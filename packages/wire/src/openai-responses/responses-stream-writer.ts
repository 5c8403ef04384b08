import { formatSse } from '../sse/format-sse.ts';
import type { RawItem } from './responses-metadata.ts';

/** Writes Responses SSE events, numbering each with `sequence_number` from 0. */
export class ResponsesEventWriter {
  #sequence = 0;

  /** One `event: TYPE` + `data:` frame; `sequence_number` follows `type`, as OpenAI orders them. */
  write(type: string, fields: RawItem): string {
    const { type: _type, sequence_number: _sequence, ...rest } = fields;
    return formatSse(JSON.stringify({ type, sequence_number: this.#sequence++, ...rest }), type);
  }
}
