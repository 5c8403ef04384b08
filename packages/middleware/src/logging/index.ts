import {
  type CallOutcome,
  checkOptions,
  type Middleware,
  type OptionShape,
  observeCall,
  observeEmbed,
} from 'ai.matey.core';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { Redactor, type RedactorOptions } from '../redaction/redactor.ts';
import { buildEmbedLogLine } from './embed-log-line.ts';
import { buildLogLine, type CallLogLine, type ReplyPricer } from './log-line.ts';

export type { CallLogLine, ReplyPricer } from './log-line.ts';

/**
 * Credential paths for pino's `redact`, for loggers that write config or header objects. The
 * logging middleware's own line never holds such objects (it is built field by field and every
 * string passes through `redactSecrets`), so it does not pay for them by default; pass them as
 * `redactPaths` or to your own logger's `redact` where other lines need them.
 */
export const SECRET_LOG_PATHS: readonly string[] = [
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["api-key"]',
  '*.headers["api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers["x-goog-api-key"]',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

export interface LoggingOptions {
  /** A pino logger to write to (a child of it is used). */
  logger?: Logger;
  /** Options for a new pino logger, when no `logger` is given. */
  pino?: LoggerOptions;
  /** Where a new logger writes (default stdout). */
  destination?: DestinationStream;
  /** Level of successful and cancelled calls (default `info`); failures log at `warn` (4xx) or `error`. */
  level?: 'trace' | 'debug' | 'info';
  /** Log message bodies (default false: they are the user's data). */
  logBodies?: boolean;
  /**
   * With `logBodies`, replace personal data in them (emails, phones, cards, ids): `true`
   * (default) for the default categories, or the redactor's options. `false` logs them as sent.
   */
  redactBodies?: boolean | RedactorOptions;
  /** Paths for pino to censor (none by default; see `SECRET_LOG_PATHS`). Wildcards cost per line. */
  redactPaths?: string[];
  /** The message of each line (default `chat call`). */
  message?: string;
  /**
   * Prices a call no cost-tracking middleware priced, so its line still says `costUsd` (the
   * gateway passes its catalog's `price`). A cost-tracking middleware inside this one wins.
   */
  costOf?: ReplyPricer;
}

const loggingOptions: OptionShape<LoggingOptions> = {
  logger: true,
  pino: true,
  destination: true,
  level: true,
  logBodies: true,
  redactPaths: true,
  message: true,
  costOf: true,
  redactBodies: { categories: true, customPatterns: true, replacements: true },
};

/**
 * Logs ONE structured line per call, when it ends: request id, mode, provider, backend, model,
 * latency, time to first event (streams), tokens, cost (from the cost-tracking middleware, if it
 * runs inside this one, else from `costOf`), cache status, attempts (from the retry middleware or the Router) and
 * outcome (`ok`, `cancelled`, or the error kind). Embedding calls get the same line with
 * `mode: 'embed'` and their batch size in `inputs`. Streams are logged when they finish, fail or
 * are abandoned, without being collected.
 *
 * API keys never reach the log: the line is built field by field (no config or header objects)
 * and every string in it passes through `redactSecrets`. Message bodies are off by default; `logBodies: true` adds
 * them with personal data redacted unless `redactBodies: false`.
 *
 * @example
 * const logging = createLoggingMiddleware({ pino: { level: 'info' } });
 * const bridge = new Bridge({ backend, middleware: [logging, createCostTrackingMiddleware({ catalog })] });
 * // {"level":30,"requestId":"req_…","mode":"stream","outcome":"ok","provider":"openai",…,"msg":"chat call"}
 */
export function createLoggingMiddleware(options: LoggingOptions = {}): Middleware {
  checkOptions('createLoggingMiddleware', options, loggingOptions);
  const paths = options.redactPaths ?? [];
  const redact = paths.length > 0 ? { redact: { paths, censor: '[redacted]' } } : {};
  const logger = options.logger
    ? options.logger.child({}, redact)
    : pino({ ...options.pino, ...redact }, options.destination);
  const okLevel = options.level ?? 'info';
  const message = options.message ?? 'chat call';
  const bodyRedactor =
    options.logBodies && options.redactBodies !== false
      ? new Redactor(typeof options.redactBodies === 'object' ? options.redactBodies : {})
      : undefined;
  const priced = options.costOf ? { costOf: options.costOf } : {};
  const bodies = options.logBodies ? { ...(bodyRedactor ? { redactor: bodyRedactor } : {}) } : undefined;

  const write = (line: CallLogLine) => {
    const status = line.error?.status;
    if (line.error === undefined) logger[okLevel](line, message);
    else if (status !== undefined && status < 500) logger.warn(line, message);
    else logger.error(line, message);
  };
  return {
    name: 'logging',
    execute(request, next, context) {
      // An observer never fails the call it watches (observeCall catches what it throws).
      return observeCall(next, request, {
        onEnd: (outcome: CallOutcome) =>
          write(buildLogLine({ request, context, outcome, ...(bodies ? { bodies } : {}), ...priced })),
      });
    },
    embed(request, next, context) {
      return observeEmbed(next, request, {
        onEnd: (outcome) => write(buildEmbedLogLine(request, context, outcome, options.costOf)),
      });
    },
  };
}
