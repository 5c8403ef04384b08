/** A request the load generators send: where, and the exact bytes. */
export interface HttpTarget {
  /** `direct`, `floor`, `gateway`, or a lane name. */
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const SYSTEM = 'You are a concise assistant.';
const USER = 'Say hello in one short sentence.';

/** An OpenAI Chat Completions body, as the openai SDK sends it. */
export function openaiBody(model: string, stream = false): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: USER },
    ],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}

/** An Anthropic Messages body, as the Anthropic SDK sends it. */
export function anthropicBody(model: string, stream = false): string {
  return JSON.stringify({
    model,
    system: SYSTEM,
    messages: [{ role: 'user', content: USER }],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}

const openaiHeaders = { 'content-type': 'application/json', authorization: 'Bearer bench' };
const anthropicHeaders = {
  'content-type': 'application/json',
  'x-api-key': 'bench',
  'anthropic-version': '2023-06-01',
};

/** The OpenAI chat call against a base URL (the mock, the floor proxy or the gateway). */
export function openaiTarget(
  name: string,
  baseUrl: string,
  model = 'gpt-4o-mini',
  stream = false,
): HttpTarget {
  return {
    name,
    origin: baseUrl,
    path: '/v1/chat/completions',
    headers: openaiHeaders,
    body: openaiBody(model, stream),
  };
}

/** The Anthropic messages call against a base URL. */
export function anthropicTarget(
  name: string,
  baseUrl: string,
  model = 'claude-haiku-4-5',
  stream = false,
): HttpTarget {
  return {
    name,
    origin: baseUrl,
    path: '/v1/messages',
    headers: anthropicHeaders,
    body: anthropicBody(model, stream),
  };
}

/** An OpenAI Responses body, as `client.responses.create` sends it. */
export function responsesBody(model: string, stream = false): string {
  return JSON.stringify({
    model,
    instructions: SYSTEM,
    input: USER,
    max_output_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}

/** The OpenAI Responses call against a base URL (the gateway). */
export function responsesTarget(
  name: string,
  baseUrl: string,
  model = 'gpt-4o-mini',
  stream = false,
): HttpTarget {
  return {
    name,
    origin: baseUrl,
    path: '/v1/responses',
    headers: openaiHeaders,
    body: responsesBody(model, stream),
  };
}
