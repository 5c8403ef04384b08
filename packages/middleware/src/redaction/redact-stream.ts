import type { StreamEvent, TextDeltaEvent } from 'ai.matey.core';
import { addCounts, type RedactionCounts, type Redactor } from './redactor.ts';

/** Characters personal data is written with: a run of them at the end of a delta may go on. */
const PII_CHAR = /[A-Za-z0-9@._%+\-()#]/;
const DIGIT = /\d/;

/**
 * Where the text that may still grow into personal data begins. Scanning back from the end, it
 * takes characters that can appear in an email, number or id, and a single space when a digit
 * sits on one side of it ("+44 20 7946 0958", "AB 12 34 56 C") or when it ends the text after
 * a letter or digit (the next delta may carry on the number). Anything before that point is
 * complete: no detector can match across it.
 */
export function heldFrom(text: string): number {
  let start = text.length;
  while (start > 0) {
    const char = text.charAt(start - 1);
    if (PII_CHAR.test(char)) {
      start--;
      continue;
    }
    if (char === ' ' && start >= 2) {
      const before = text.charAt(start - 2);
      const after = text.charAt(start);
      const joins =
        PII_CHAR.test(before) &&
        (after === '' ? /[A-Za-z0-9)]/.test(before) : DIGIT.test(before) || DIGIT.test(after));
      if (joins) {
        start--;
        continue;
      }
    }
    break;
  }
  return start;
}

/**
 * Redacts the text deltas of a stream without collecting it.
 *
 * A piece of personal data can straddle two deltas ("bob@exa" + "mple.com"), so each text part
 * keeps back only its unfinished tail — the trailing run that could still be an email, number
 * or id, usually the last word — and passes everything before it on, redacted. The tail goes
 * out with the next delta, or before any other event (tool call, finish, error), or when the
 * stream ends. A tail longer than `maxHoldChars` is let through in part so a long run of digits
 * cannot stall the stream; a match straddling that cut could escape. Reasoning deltas are left
 * as they are: providers sign reasoning text, and a changed text fails their check.
 */
export async function* redactTextStream(
  source: AsyncIterable<StreamEvent>,
  redactor: Redactor,
  onCounts: (counts: RedactionCounts) => void,
  maxHoldChars = 256,
): AsyncGenerator<StreamEvent> {
  const pending = new Map<number, { text: string; template: TextDeltaEvent }>();
  const counts: RedactionCounts = {};

  const redact = (text: string): string => {
    const result = redactor.redact(text);
    if (Object.keys(result.counts).length > 0) onCounts(addCounts(counts, result.counts));
    return result.text;
  };

  function* flushAll(): Generator<StreamEvent> {
    for (const [index, held] of pending) {
      pending.delete(index);
      if (held.text) yield { ...held.template, delta: redact(held.text) };
    }
  }

  for await (const event of source) {
    if (event.type !== 'text-delta') {
      yield* flushAll();
      yield event;
      continue;
    }
    const text = (pending.get(event.index)?.text ?? '') + event.delta;
    let cut = heldFrom(text);
    if (text.length - cut > maxHoldChars) cut = text.length - maxHoldChars;
    pending.set(event.index, { text: text.slice(cut), template: withoutMetadata(event) });
    const ready = text.slice(0, cut);
    if (ready || event.providerMetadata) yield { ...event, delta: ready ? redact(ready) : '' };
  }
  yield* flushAll();
}

function withoutMetadata(event: TextDeltaEvent): TextDeltaEvent {
  return { type: 'text-delta', index: event.index, delta: '' };
}
