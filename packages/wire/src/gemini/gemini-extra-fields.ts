import type { ExtraFieldPolicy } from '../codec.ts';

/** generateContent fields with no spec equivalent, which the decoder keeps in `providerOptions.gemini`. */
export const geminiExtraFields: ExtraFieldPolicy = {
  providerOptionsKey: 'gemini',
  carried: ['safetySettings', 'cachedContent', 'toolConfig', 'labels'],
  restricted: {
    // Only tools other than functions land here: Google Search grounding, code execution (billed).
    tools: [],
    // What the decoder does not map: candidateCount (n answers), audio output, media resolution.
    generationConfig: [],
  },
};
