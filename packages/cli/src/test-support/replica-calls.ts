import { setTimeout as sleep } from 'node:timers/promises';
import { readCounter } from './replica-set.ts';

/** One call's answer: its status, `retry-after` header and JSON body. */
export interface CallResult {
  status: number;
  retryAfter: string | null;
  body: unknown;
  /** Which replica answered (its index in the list). */
  replica: number;
}

/** The model every replica call asks for: priced in the catalog, served by the mock upstream. */
export const REPLICA_MODEL = 'openai/gpt-4o-mini';

/** Makes a gateway key through the admin API; its secret is shown this once. */
export async function createKey(
  url: string,
  adminKey: string,
  limits: Record<string, unknown>,
): Promise<{ id: string; key: string }> {
  const response = await fetch(`${url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'replica test key', ...limits }),
  });
  const body = (await response.json()) as { id?: string; key?: string };
  if (response.status !== 201 || !body.id || !body.key)
    throw new Error(`admin POST /keys answered ${response.status}: ${JSON.stringify(body)}`);
  return { id: body.id, key: body.key };
}

/** Revokes a key through the admin API. */
export async function revoke(url: string, adminKey: string, id: string): Promise<void> {
  const response = await fetch(`${url}/admin/keys/${id}/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`admin revoke answered ${response.status}`);
}

/** Changes a key's fields through the admin API. */
export async function patchKey(
  url: string,
  adminKey: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${url}/admin/keys/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`admin PATCH /keys/${id} answered ${response.status}`);
}

/** One non-streamed OpenAI chat call with `apiKey`. */
export async function chat(
  url: string,
  apiKey: string,
  options: { maxTokens?: number } = {},
  replica = 0,
): Promise<CallResult> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: REPLICA_MODEL,
      messages: [{ role: 'user', content: 'hello' }],
      ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
    }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text, which the caller's assertions then show.
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, replica };
}

/**
 * `total` calls with one key, call i on replica i mod n, at most `concurrency` in flight at
 * once; resolves with every answer, in call order.
 */
export async function burst(
  urls: string[],
  apiKey: string,
  total: number,
  concurrency: number,
  options: { maxTokens?: number } = {},
): Promise<CallResult[]> {
  const results: CallResult[] = new Array(total);
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const index = next++;
      const replica = index % urls.length;
      results[index] = await chat(urls[replica] as string, apiKey, options, replica);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return results;
}

/**
 * Calls `url` with `apiKey` every 20 ms until it is refused with 401, and resolves with the
 * milliseconds since `since` (a `performance.now()`); rejects after `timeoutMs`.
 */
export async function untilRefused(
  url: string,
  apiKey: string,
  since: number,
  timeoutMs: number,
): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    const result = await chat(url, apiKey);
    if (result.status === 401) return performance.now() - since;
    await sleep(20);
  }
  throw new Error(`${url} still admitted the revoked key after ${timeoutMs} ms`);
}

/** The store key of a gateway key's daily budget counter today (as the cost tracker names it). */
export function budgetCounterKey(keyId: string, now = Date.now()): string {
  return `cost:budget-${keyId}:${keyId}:${Math.floor(now / 86_400_000) * 86_400_000}`;
}

/** A key's daily budget counter in Redis, once `ready` holds for it (settling is after the reply), or after 5 s. */
export async function budgetCounter(keyId: string, ready: (usd: number) => boolean): Promise<number> {
  const started = Date.now();
  let usd = await readCounter(budgetCounterKey(keyId));
  while (!ready(usd) && Date.now() - started < 5_000) {
    await sleep(50);
    usd = await readCounter(budgetCounterKey(keyId));
  }
  return usd;
}

/**
 * Waits for the next minute when less than `neededMs` of this one is left, so a burst stays in
 * one rate-limit window (the previous window's count fades over the next, by design).
 */
export async function waitForMinuteStart(neededMs: number): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (60_000 - intoMinute < neededMs) await sleep(60_000 - intoMinute + 50);
}

/**
 * A key's cost in the spend log (`/admin/spend`), once it reaches `expectedUsd` (rows are
 * written in batches, off the request path) or after 5 s.
 */
export async function loggedSpend(
  url: string,
  adminKey: string,
  keyId: string,
  expectedUsd: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const response = await fetch(`${url}/admin/spend?key=${keyId}&groupBy=key`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const { data } = (await response.json()) as { data: Array<{ costUsd: number }> };
    const usd = data.reduce((sum, row) => sum + row.costUsd, 0);
    if (usd >= expectedUsd || Date.now() - started > 5_000) return usd;
    await sleep(100);
  }
}
