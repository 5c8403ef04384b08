import { openaiChat } from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { sortExtraFields } from './extra-fields.ts';

const policy = openaiChat.extraFields;
if (!policy) throw new Error('the OpenAI codec declares its extra fields');
const policies = new Map([[policy.providerOptionsKey, policy]]);

describe('sortExtraFields', () => {
  // Found by the fuzz test: `valueOf` found Object.prototype's and was called as a predicate (a 500).
  it.each(['valueOf', 'constructor', 'toString', '__proto__'])(
    'takes a caller field named %s for an unknown field, not an inherited one',
    (name) => {
      const fields = JSON.parse(`{${JSON.stringify(name)}: {}}`) as Record<string, unknown>;
      const request = { messages: [], providerOptions: { [policy.providerOptionsKey]: fields } };
      expect(sortExtraFields(request, policies)).toEqual({ restricted: [], unknown: [name] });
    },
  );
});
