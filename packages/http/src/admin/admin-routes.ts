import { createHash, randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { adminAuth } from './admin-auth.ts';
import { AdminApiError, adminErrorHandler } from './admin-error.ts';
import { adminOpenApi } from './admin-openapi.ts';
import type { AdminOptions, AdminStore, KeyHash } from './admin-options.ts';
import {
  keyInputSchema,
  keyPatchSchema,
  spendQuerySchema,
  teamInputSchema,
  teamPatchSchema,
} from './admin-schemas.ts';

/**
 * The admin API as a Hono app, mounted by `createGateway` under `/admin`: keys (create, list,
 * read, update, rotate, revoke; a new secret is in the reply once), teams (create, list,
 * read, update, delete) and spend (`/admin/spend`, from the spend log), for holders of the master key only; `/admin/openapi.json` describes it.
 *
 * @example
 * const admin = adminApp({ key: process.env.MATEY_ADMIN_KEY, store: keyStore });
 * app.route('/admin', admin);
 */
export function adminApp(options: AdminOptions): Hono {
  const { store } = options;
  const app = new Hono({ strict: false });
  app.get('/openapi.json', (c) => c.json(adminOpenApi()));
  app.use('*', adminAuth(options.key));
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: () => tooLarge() }));

  app.post('/teams', async (c) => c.json(await store.createTeam(await parse(c, teamInputSchema)), 201));
  app.get('/teams', async (c) => c.json({ data: await store.listTeams() }));
  app.get('/teams/:id', async (c) => c.json(found(await store.getTeam(c.req.param('id')), 'team')));
  app.patch('/teams/:id', async (c) => {
    const patch = await parse(c, teamPatchSchema);
    return c.json(found(await store.updateTeam(c.req.param('id'), patch), 'team'));
  });
  app.delete('/teams/:id', async (c) => {
    const id = c.req.param('id');
    if ((await store.countLiveKeys(id)) > 0)
      throw new AdminApiError({
        status: 409,
        message: `Team '${id}' still has live keys: revoke them first`,
      });
    found((await store.deleteTeam(id)) || undefined, 'team');
    return c.json({ id, deleted: true });
  });

  app.post('/keys', async (c) => {
    const input = await parse(c, keyInputSchema);
    await checkTeam(store, input.teamId);
    const { secret, hash } = newSecret();
    return c.json({ ...(await store.createKey(input, hash)), key: secret }, 201);
  });
  app.get('/keys', async (c) => {
    const teamId = c.req.query('teamId');
    return c.json({ data: await store.listKeys(teamId ? { teamId } : {}) });
  });
  app.get('/keys/:id', async (c) => c.json(found(await store.getKey(c.req.param('id')), 'key')));
  app.patch('/keys/:id', async (c) => {
    const patch = await parse(c, keyPatchSchema);
    await checkTeam(store, patch.teamId);
    return c.json(found(await store.updateKey(c.req.param('id'), patch), 'key'));
  });
  app.post('/keys/:id/rotate', async (c) => {
    const { secret, hash } = newSecret();
    const record = found(await store.rotateKey(c.req.param('id'), hash), 'live key');
    return c.json({ ...record, key: secret });
  });
  app.post('/keys/:id/revoke', async (c) => c.json(found(await store.revokeKey(c.req.param('id')), 'key')));

  app.get('/spend', async (c) => {
    const query = validated(spendQuerySchema, c.req.query());
    return c.json({ groupBy: query.groupBy, data: await options.store.spend(query) });
  });

  app.notFound((c) =>
    c.json(
      new AdminApiError({
        status: 404,
        message: `No admin route for ${c.req.method} ${c.req.path}`,
      }).toBody(),
      404,
    ),
  );
  app.onError(adminErrorHandler('The admin API'));
  return app;
}

/** A new gateway key: `sk-matey-` and 32 random bytes; the store gets only its hash and prefix. */
function newSecret(): { secret: string; hash: KeyHash } {
  const secret = `sk-matey-${randomBytes(32).toString('base64url')}`;
  return {
    secret,
    hash: { sha256: createHash('sha256').update(secret).digest('hex'), prefix: secret.slice(0, 14) },
  };
}

async function parse<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AdminApiError({ status: 400, message: 'The body must be a JSON object' });
  }
  return validated(schema, body);
}

function validated<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
  throw new AdminApiError({
    status: 400,
    message: param ? `${param}: ${issue?.message}` : (issue?.message ?? 'Invalid body'),
    ...(param ? { param } : {}),
  });
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new AdminApiError({ status: 404, message: `No such ${what}` });
  return value;
}

async function checkTeam(store: AdminStore, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await store.getTeam(teamId)))
    throw new AdminApiError({ status: 400, message: `No team '${teamId}'`, param: 'teamId' });
}

function tooLarge(): never {
  throw new AdminApiError({ status: 413, message: 'The body is larger than 64 KiB' });
}
