import { type ChatResponse, checkOptions, type Message, type OptionShape } from 'ai.matey.core';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';

export interface ResponseStoreOptions {
  /** Where conversations are kept, by response id (default: in memory; Redis to share replicas). */
  store?: KeyValueStore | undefined;
  /** How long a stored response can be continued, in ms (default 24 h). */
  ttlMs?: number;
  /** Prefix of the store keys (default `responses`). */
  keyPrefix?: string;
}

const responseStoreOptions: OptionShape<ResponseStoreOptions> = { store: true, ttlMs: true, keyPrefix: true };

/** One stored reply: the conversation up to and with it, and the reply itself. */
export interface StoredResponse {
  /** The conversation so far, the reply's assistant message last. */
  messages: Message[];
  /** The reply as it was sent (absent in a record stored before replies were kept). */
  response?: ChatResponse;
  /** The request fields the caller's reply repeated (`metadata.replyEcho`), to read the same later. */
  echo?: Record<string, unknown>;
  /** The SHA-256 of the id of the gateway key that made it; absent when keys were off. */
  owner?: string;
}

/**
 * The replies kept by id for `previous_response_id` and for reading back (`GET /v1/responses/{id}`):
 * each is its caller's alone. A record belongs to the key that made it (its id's hash is kept, not
 * the id); asked for by another key, or by no key, it is not there.
 *
 * @example
 * const replies = new StoredResponses({ store: redis, ttlMs: 3_600_000 });
 * const stored = await replies.get('resp_123', key?.id);
 */
export class StoredResponses {
  readonly #store: KeyValueStore;
  readonly #ttlMs: number;
  readonly #prefix: string;

  constructor(options: ResponseStoreOptions = {}) {
    checkOptions('StoredResponses', options, responseStoreOptions);
    this.#store = options.store ?? new MemoryStore();
    this.#ttlMs = options.ttlMs ?? 86_400_000;
    this.#prefix = options.keyPrefix ?? 'responses';
  }

  /** The reply stored under this id for this key (`apiKeyId`), or undefined. */
  async get(id: string, apiKeyId: string | undefined): Promise<StoredResponse | undefined> {
    const value = await this.#store.get<StoredResponse | Message[]>(this.#keyOf(id));
    if (value === undefined) return undefined;
    // A record from before replies had owners: a bare conversation, which any key could continue.
    if (Array.isArray(value)) return { messages: value };
    return value.owner === (await ownerOf(apiKeyId)) ? value : undefined;
  }

  /** Keeps a reply under its id for its time to live. */
  async set(id: string, apiKeyId: string | undefined, record: Omit<StoredResponse, 'owner'>): Promise<void> {
    const owner = await ownerOf(apiKeyId);
    await this.#store.set(this.#keyOf(id), { ...record, ...(owner ? { owner } : {}) }, this.#ttlMs);
  }

  /** Forgets a reply; whether this key had one under that id to forget. */
  async delete(id: string, apiKeyId: string | undefined): Promise<boolean> {
    if (!(await this.get(id, apiKeyId))) return false;
    await this.#store.delete(this.#keyOf(id));
    return true;
  }

  #keyOf(id: string): string {
    return `${this.#prefix}:${id}`;
  }
}

/** The owner a record names: the key id's SHA-256 (Web Crypto, on every runtime), so the store holds no key names. */
async function ownerOf(apiKeyId: string | undefined): Promise<string | undefined> {
  if (apiKeyId === undefined) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(apiKeyId));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
