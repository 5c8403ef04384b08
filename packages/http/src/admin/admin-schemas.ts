import { z } from 'zod';

const perMinute = z.number().int().positive().nullable().optional();
const usd = z.number().positive().nullable().optional();
const metadata = z.record(z.string(), z.unknown()).optional();

/** A team's fields as an admin sends them (`POST /admin/teams`). */
export const teamInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    requestsPerMinute: perMinute,
    tokensPerMinute: perMinute,
    budgetUsdPerDay: usd,
    budgetUsdPerMonth: usd,
    metadata,
  })
  .strict();

/** A change to a team (`PATCH /admin/teams/{id}`): any of its fields; `null` clears a limit. */
export const teamPatchSchema = teamInputSchema.partial();

const keyFields = z
  .object({
    name: z.string().min(1).max(200),
    teamId: z.string().min(1).nullable().optional(),
    /** Aliases, `provider/model` or `*` patterns; absent or null: every model. */
    allowedModels: z.array(z.string().min(1)).max(1000).nullable().optional(),
    requestsPerMinute: perMinute,
    tokensPerMinute: perMinute,
    budgetUsdPerDay: usd,
    budgetUsdPerMonth: usd,
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
    /** Let the key's calls use the gateway's semantic cache (`middleware.semanticCache`). */
    semanticCache: z.boolean().optional(),
    /** The key's calls in flight at once; over it (and its queue) a 429. `null`: uncapped. */
    maxConcurrent: z.number().int().positive().nullable().optional(),
    /** Calls that may wait for a slot (needs `maxConcurrent`). Default 0. */
    maxQueue: z.number().int().nonnegative().nullable().optional(),
    /** Longest wait for a slot, in ms (needs `maxConcurrent`). Default 1,000. */
    queueTimeoutMs: z.number().int().nonnegative().nullable().optional(),
    metadata,
  })
  .strict();

/** A key's fields as an admin sends them (`POST /admin/keys`); the secret is made by the gateway. */
export const keyInputSchema = keyFields.superRefine((input, context) => {
  if (input.maxConcurrent != null) return;
  for (const field of ['maxQueue', 'queueTimeoutMs'] as const) {
    if (input[field] != null)
      context.addIssue({ code: 'custom', path: [field], message: 'needs maxConcurrent' });
  }
});

/** A change to a key (`PATCH /admin/keys/{id}`); the database checks the queue against the cap. */
export const keyPatchSchema = keyFields.partial();

const limits = {
  requestsPerMinute: z.number().nullable(),
  tokensPerMinute: z.number().nullable(),
  budgetUsdPerDay: z.number().nullable(),
  budgetUsdPerMonth: z.number().nullable(),
};

/** A team as the admin API returns it. */
export const teamRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  ...limits,
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

/** A key as the admin API returns it: never its secret, only its first characters. */
export const keyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  teamId: z.string().nullable(),
  allowedModels: z.array(z.string()).nullable(),
  ...limits,
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  semanticCache: z.boolean(),
  maxConcurrent: z.number().nullable(),
  maxQueue: z.number().nullable(),
  queueTimeoutMs: z.number().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

/** A key just made or rotated: its secret, shown this once. */
export const issuedKeySchema = keyRecordSchema.extend({ key: z.string() });

/** A spend query (`GET /admin/spend?key=&team=&model=&provider=&from=&to=&groupBy=`). */
export const spendQuerySchema = z
  .object({
    key: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    groupBy: z.enum(['day', 'model', 'provider', 'key', 'team']).default('day'),
  })
  .strict();

/** One group of a spend query's answer. */
export const spendGroupSchema = z.object({
  group: z.string().nullable(),
  requests: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

/** Every admin error. */
export const adminErrorSchema = z.object({
  error: z.object({ type: z.string(), message: z.string(), param: z.string().optional() }),
});

export type TeamInput = z.infer<typeof teamInputSchema>;
export type TeamPatch = z.infer<typeof teamPatchSchema>;
export type KeyInput = z.infer<typeof keyInputSchema>;
export type KeyPatch = z.infer<typeof keyPatchSchema>;
export type TeamRecord = z.infer<typeof teamRecordSchema>;
export type KeyRecord = z.infer<typeof keyRecordSchema>;
export type SpendQuery = z.infer<typeof spendQuerySchema>;
export type SpendGroup = z.infer<typeof spendGroupSchema>;
