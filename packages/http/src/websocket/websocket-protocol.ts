import type { Message, StreamEvent, Usage } from 'ai.matey.core';

/** Messages a client sends. `id` ties a chat's chunks together; several chats may run on one socket. */
export type ClientMessage =
  | {
      type: 'chat';
      id?: string;
      /** The user's turn as text (kept in this socket's history)… */
      content?: string;
      /** …or a whole conversation (history is then not used). */
      messages?: Message[];
      model?: string;
      provider?: string;
    }
  | {
      /** Embeds `input` as `POST /v1/embeddings` does (same fields, same policy); `cancel` stops it. */
      type: 'embed';
      id?: string;
      input: string | string[];
      model: string;
      dimensions?: number;
      /** `query`, `document`, `similarity`, `classification` or `clustering`. */
      input_type?: string;
      provider?: string;
    }
  | { type: 'cancel'; id: string }
  | { type: 'switch_provider'; provider: string }
  | { type: 'clear_history' }
  | { type: 'ping'; ts?: number };

/** Messages the server sends. */
export type ServerMessage =
  | { type: 'welcome'; clientId: string; provider: string | undefined; providers: string[] }
  | { type: 'chunk'; id: string; data: StreamEvent }
  | {
      type: 'done';
      id: string;
      text: string;
      provider: string;
      model: string;
      usage: Usage;
      finishReason: string;
      durationMs: number;
    }
  | {
      type: 'error';
      id?: string;
      /**
       * `param` names the field at fault (`messages[0]`), as in the HTTP error bodies; `attempts`
       * counts the upstream calls made (the HTTP `x-matey-attempts`), `backend` and `provider`
       * name the one at fault, where known.
       */
      error: {
        kind: string;
        message: string;
        status?: number;
        code?: string;
        param?: string;
        attempts?: number;
        backend?: string;
        provider?: string;
      };
    }
  | {
      type: 'embeddings';
      id: string;
      /** The vectors, in the order of `input`. */
      embeddings: number[][];
      provider: string;
      model: string;
      usage: Usage;
      durationMs: number;
    }
  | { type: 'cancelled'; id: string }
  | { type: 'provider_switched'; provider: string }
  | { type: 'history_cleared' }
  | { type: 'pong'; ts?: number; serverTime: number };
