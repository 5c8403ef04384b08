import { z } from 'zod';
import { bulkheadsConfigSchema } from './bulkheads-config-schema.ts';
import { spendLogConfigSchema } from './spend-log-config-schema.ts';
import { telemetryConfigSchema } from './telemetry-config-schema.ts';

const provider = z
  .object({
    /**
     * A preset (`openai`, `anthropic`, `gemini`, `cohere`, `groq`, …, `openai-compatible`, `vertex`
     * with the optional package `ai.matey.backend.vertex`), a plug-in module
     * (`./acme-backend.js`, from the config file's folder) or package (`@acme/matey-backend`);
     * default: the key name.
     */
    type: z.string().optional(),
    apiKey: z.string().optional(),
    baseURL: z.string().url().optional(),
    defaultModel: z.string().optional(),
    /** Model ids this provider serves (added to the catalog's list for routing). */
    models: z.array(z.string()).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** OpenAI and Azure OpenAI: call Chat Completions (default) or the Responses API. */
    protocol: z.enum(['openai-chat', 'openai-responses']).optional(),
    weight: z.number().positive().optional(),
    enabled: z.boolean().optional(),
    /** Send this provider request fields the gateway does not know (refused otherwise). */
    passThrough: z.boolean().optional(),
    /** `type: bedrock`: the AWS region (default `AWS_REGION`). */
    region: z.string().min(1).optional(),
    /** `type: bedrock`: the shared config profile to take credentials from (default `AWS_PROFILE`). */
    profile: z.string().min(1).optional(),
    /** `type: bedrock`: an access key pair (default: the AWS credential chain; use `${VAR}`s). */
    credentials: z
      .object({
        accessKeyId: z.string().min(1),
        secretAccessKey: z.string().min(1),
        sessionToken: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** `type: vertex`: the Google Cloud project (default `GOOGLE_CLOUD_PROJECT`). */
    project: z.string().optional(),
    /** `type: vertex`: the region or `global` (default `GOOGLE_CLOUD_LOCATION`, else `us-central1`). */
    location: z.string().optional(),
    /** `type: vertex`: a service-account key file (default: Application Default Credentials). */
    keyFile: z.string().optional(),
  })
  .strict();

const key = z
  .object({
    id: z.string().min(1),
    key: z.string().min(8).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i)
      .optional(),
    allowedModels: z.array(z.string()).optional(),
    requestsPerMinute: z.number().int().positive().optional(),
    budgetUsdPerDay: z.number().positive().optional(),
    /** Let this key's calls use the semantic cache (`middleware.semanticCache`). */
    semanticCache: z.boolean().optional(),
  })
  .strict()
  .refine((value) => value.key !== undefined || value.sha256 !== undefined, {
    message: 'give key or sha256',
  });

const guardrail = z
  .object({
    /**
     * A built-in check (`pii`, `prompt-injection`, `system-prompt-leak`, `moderation`,
     * `webhook`), a plug-in module (`./acme-guardrail.js`, from the config file's folder) or a
     * package (`@acme/matey-guardrail`) that exports `createGuardrail(options)`.
     */
    use: z.string().min(1),
    /** Only calls of these gateway key ids (default all). */
    keys: z.array(z.string().min(1)).optional(),
    /** Only calls for these models: ids (`gpt-4o`, `openai/gpt-4o`) or prefixes ending in `*`. */
    models: z.array(z.string().min(1)).optional(),
    /** What the check's factory takes (see docs/writing-a-guardrail.md for the built-in ones). */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
const semanticCacheSchema = z
  .union([
    z.literal(false),
    z
      .object({
        /** The model that embeds prompts, as a client names it (`text-embedding-3-small`). */
        embeddingModel: z.string().min(1),
        /** Least cosine similarity at which a stored answer is served. */
        threshold: z.number().gt(0).max(1).default(0.95),
        ttlMs: z.number().int().positive().default(3_600_000),
        maxEntries: z.number().int().positive().default(10_000),
        /** Serve requests that offer tools. */
        allowTools: z.boolean().default(false),
        /** Serve requests sampled with a temperature above 0. */
        allowTemperature: z.boolean().default(false),
        /** Serve one opted-in key the answers stored for another (default: each key its own). */
        shareAcrossKeys: z.boolean().default(false),
        /** Serve only prompts with the same numbers in them (`5` and `50` miles differ). */
        matchNumbers: z.boolean().default(true),
      })
      .strict(),
  ])
  .default(false);
const storeDownPolicy = z.enum(['fail-open', 'fail-closed']);

/** The gateway configuration file (`matey.config.yaml` or `.json`). */
export const gatewayConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8787),
        shutdownGraceMs: z.number().int().nonnegative().default(10_000),
        corsOrigins: z.array(z.string()).optional(),
        trustProxy: z.boolean().default(false),
        maxBodyBytes: z.number().int().positive().optional(),
        maxMessages: z.number().int().positive().optional(),
        websocketPath: z.string().startsWith('/').default('/v1/ws'),
        // Slow clients, floods and hung upstreams (SECURITY.md lists the defaults).
        maxConnections: z.number().int().positive().optional(),
        headersTimeoutMs: z.number().int().positive().optional(),
        bodyTimeoutMs: z.number().int().positive().optional(),
        requestTimeoutMs: z.number().int().positive().optional(),
        streamIdleTimeoutMs: z.number().int().positive().optional(),
        /** How long a Responses reply can be continued by its id (`previous_response_id`). */
        responseTtlMs: z.number().int().positive().optional(),
        /** Processes serving the port (`matey serve`, the main job): a number, or `auto` for one per core. */
        workers: z.union([z.literal('auto'), z.number().int().min(1).max(256)]).optional(),
        /** V8's young generation of each worker process: `semiSpaceMb` (default 32; BENCHMARKS.md "Memory"). */
        heap: z
          .object({ semiSpaceMb: z.number().int().min(1).max(1024).optional() })
          .strict()
          .optional(),
        /** The dashboard (served when `MATEY_ADMIN_KEY` is set): prompt text in its latest requests. */
        dashboard: z
          .object({ contentLogging: z.boolean().default(false) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    providers: z.record(z.string(), provider).default({}),
    /** Model aliases: `fast: groq/llama-3.1-8b-instant`. */
    models: z.record(z.string(), z.string()).default({}),
    routing: z
      .object({
        strategy: z
          .enum(['model-based', 'round-robin', 'weighted', 'least-latency', 'least-busy', 'cost'])
          .default('model-based'),
        defaultProvider: z.string().optional(),
        /** Tried in order after a failure: `provider` or `provider/model`. */
        fallbacks: z.array(z.string()).default([]),
        /** Upstream calls one client request may make in all, retries and fallbacks together. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        circuitBreaker: z
          .union([
            z.literal(false),
            z
              .object({
                failureThreshold: z.number().int().positive(),
                cooldownMs: z.number().int().positive(),
              })
              .strict(),
          ])
          .optional(),
      })
      .strict()
      .prefault({}),
    middleware: z
      .object({
        retry: z
          .union([
            z.literal(false),
            z.object({ maxAttempts: z.number().int().min(1).max(10).optional() }).strict(),
          ])
          .default({}),
        timeoutMs: z.number().int().positive().optional(),
        cache: z
          .union([
            z.literal(false),
            z
              .object({
                ttlMs: z.number().int().positive().optional(),
                maxEntries: z.number().int().positive().optional(),
              })
              .strict(),
          ])
          .default(false),
        /**
         * Serves stored answers to paraphrased prompts (the optional package
         * ai.matey.semantic-cache), after the exact cache, for keys with `semanticCache: true`
         * (every call when the gateway has no keys).
         */
        semanticCache: semanticCacheSchema,
        logging: z
          .union([
            z.literal(false),
            z.object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).strict(),
          ])
          .default({ level: 'info' }),
        redaction: z.boolean().default(false),
        promptInjection: z.enum(['off', 'flag', 'block']).default('off'),
        /** Guardrail output checks on streams: most characters held back for checking. */
        guardrailWindowChars: z.number().int().positive().default(256),
      })
      .strict()
      .prefault({}),
    /** Checks on the input and output of calls, in order (see docs/writing-a-guardrail.md). */
    guardrails: z.array(guardrail).default([]),
    keys: z.array(key).default([]),
    /** Caps on concurrent upstream calls per provider and per key (see `bulkheadsConfigSchema`). */
    bulkheads: bulkheadsConfigSchema,
    /** The secret `/metrics` asks for (`Authorization: Bearer …`; use `${VAR}`), instead of any gateway key. */
    metricsKey: z.string().min(16).optional(),
    /** Shared state for several replicas: `redis://127.0.0.1:6379`. In memory when absent. */
    store: z.string().url().optional(),
    /**
     * What per-key rate limits and budgets do while `store` is unreachable: `fail-closed` (503
     * `store_unavailable`) or `fail-open` (served uncounted), for both or `{ rateLimits, budgets }`.
     */
    onStoreDown: z
      .union([
        storeDownPolicy,
        z.object({ rateLimits: storeDownPolicy, budgets: storeDownPolicy }).partial().strict(),
      ])
      .default('fail-closed'),
    /**
     * Gateway keys and teams in PostgreSQL (`postgres://…`), beside `keys`; with
     * `MATEY_ADMIN_KEY` in the environment, the admin API under `/admin/` manages them.
     */
    database: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
      .optional(),
    /** How the spend log of `database:` is written, and where rows wait while it is away. */
    spendLog: spendLogConfigSchema,
    /** Serve the simulated fleet even if keys are set (demos, load tests). */
    simulate: z.boolean().default(false),
    telemetry: telemetryConfigSchema,
  })
  .strict();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
export type ProviderConfig = z.infer<typeof provider>;
export type GuardrailConfig = z.infer<typeof guardrail>;
