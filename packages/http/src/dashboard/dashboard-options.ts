/** The dashboard's options (`GatewayOptions.dashboard`). */
export interface DashboardOptions {
  /** The admin master key (`MATEY_ADMIN_KEY`), the admin API's: the page's data is for its holder only. */
  key: string;
  /**
   * Show the start of each call's last user message in the latest requests. Default false: the
   * dashboard shows no prompt content.
   */
  contentLogging?: boolean;
  /** Calls kept for the latest-requests table. Default 200. */
  recentCalls?: number;
}

/** One call as the dashboard keeps it (in memory, the latest few hundred). */
export interface RecordedCall {
  /** When it ended, ms since the epoch. */
  at: number;
  requestId: string | null;
  keyId: string | null;
  teamId: string | null;
  provider: string | null;
  model: string | null;
  status: 'ok' | 'failed' | 'cancelled';
  /** The error's kind (`rate-limit`, `authentication`, …) for a failed call. */
  errorKind: string | null;
  latencyMs: number;
  firstEventMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  streamed: boolean;
  /** An embeddings call. */
  embedding?: boolean;
  /** The start of the last user message, only with `contentLogging`. */
  prompt?: string;
}

/** The dimensions cost is grouped by. */
export const COST_GROUPS = ['key', 'team', 'model', 'provider'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];
