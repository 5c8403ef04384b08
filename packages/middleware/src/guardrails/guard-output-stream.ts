import type { ChatRequest, StreamEvent, TextDeltaEvent } from 'ai.matey.core';
import type { Guardrail, GuardrailCheck } from './guardrail.ts';
import { runChecks } from './run-checks.ts';
import type { VerdictTally } from './verdict-tally.ts';

interface PartWindow {
  /** Text received and not yet checked or sent. */
  held: string;
  /** The tail of what was sent, for checks that look across the window's edge. */
  sent: string;
}

export interface OutputWindowOptions {
  /** Most characters of answer text held back at any time (the window's size). */
  windowChars: number;
  facts: Pick<GuardrailCheck, 'keyId' | 'signal'> & { request: ChatRequest };
}

/**
 * Runs the output checks on a stream as it flows, never holding the whole answer. Each text part
 * collects its deltas until `windowChars` characters are waiting, then they are checked (with
 * the sent text just before them as `before`) and sent on, rewritten if a check said so; the
 * tail a check asks to keep (`holdFrom`) waits for the next window, as long as no more than
 * `windowChars` characters wait. So the text a client reads is at most `windowChars` characters
 * behind the provider's (plus the checks' own time). Held text goes out before any other event
 * (a tool call, the finish) and at the end, checked with `final: true`.
 *
 * A block throws from the stream: the gateway ends it with an error event in the caller's format.
 */
export async function* guardOutputStream(
  source: AsyncIterable<StreamEvent>,
  guardrails: readonly Guardrail[],
  tally: VerdictTally,
  options: OutputWindowOptions,
): AsyncGenerator<StreamEvent> {
  const windows = new Map<number, PartWindow>();
  const { windowChars, facts } = options;

  const check = async (part: PartWindow, text: string, final: boolean): Promise<string> => {
    const judged = await runChecks(
      guardrails,
      { phase: 'output', text, before: part.sent, final, ...facts },
      tally,
    );
    part.sent = (part.sent + text).slice(-windowChars);
    return judged;
  };

  async function* flush(final: boolean): AsyncGenerator<StreamEvent> {
    for (const [index, part] of windows) {
      if (part.held === '') continue;
      const text = part.held;
      part.held = '';
      yield textDelta(index, await check(part, text, final));
    }
  }

  for await (const event of source) {
    if (event.type !== 'text-delta') {
      yield* flush(event.type === 'finish');
      yield event;
      continue;
    }
    const part = windows.get(event.index) ?? { held: '', sent: '' };
    windows.set(event.index, part);
    part.held += event.delta;
    const extras = event.citations || event.providerMetadata;
    if (part.held.length < windowChars) {
      if (extras) yield { ...event, delta: '' };
      continue;
    }
    let cut = Math.min(
      part.held.length,
      ...guardrails.map((g) => g.holdFrom?.(part.held) ?? part.held.length),
    );
    cut = Math.max(cut, part.held.length - windowChars);
    const ready = part.held.slice(0, cut);
    part.held = part.held.slice(cut);
    if (ready) yield { ...event, delta: await check(part, ready, false) };
    else if (extras) yield { ...event, delta: '' };
  }
  yield* flush(true);
}

function textDelta(index: number, delta: string): TextDeltaEvent {
  return { type: 'text-delta', index, delta };
}
