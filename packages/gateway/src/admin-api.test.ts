/**
 * The admin API's edges on a real PostgreSQL: who may use it (the master key only, never a
 * gateway key; off without `MATEY_ADMIN_KEY`), its one error shape, its validation, teams'
 * life cycle, and its OpenAPI description (checked by an OpenAPI 3.1 validator).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const ADMIN_KEY = 'matey-admin-key-edges-0123456789';
const GATEWAY_KEY = 'config-gateway-key-edges-1';

let database: TemporaryDatabase;
let upstream: MockUpstream;
const built: BuiltGateway[] = [];
let gateway: RunningGateway;
let closedAdmin: RunningGateway;

beforeAll(async () => {
  database = await createTemporaryDatabase('admin_api');
  upstream = await startMockUpstream();
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key-admin', baseURL: `${upstream.url}/v1` } },
    keys: [{ id: 'from-config', key: GATEWAY_KEY }],
    database: database.url,
  });
  const quiet = { logDestination: { write() {} }, warn: () => {} };
  built.push(await buildGateway(config, { env: { MATEY_ADMIN_KEY: ADMIN_KEY }, ...quiet }));
  built.push(await buildGateway(config, { env: {}, ...quiet }));
  gateway = await serveGateway(built[0]!.gateway, { port: 0, shutdownGraceMs: 100 });
  closedAdmin = await serveGateway(built[1]!.gateway, { port: 0, shutdownGraceMs: 100 });
});

afterAll(async () => {
  await gateway?.close();
  await closedAdmin?.close();
  await Promise.all(built.map((each) => each.close()));
  await upstream?.close();
  await database?.drop();
});

async function admin(method: string, path: string, body?: unknown, key: string | null = ADMIN_KEY) {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('admin API', () => {
  it('admits only the master key: no key, a wrong one and a gateway key get 401 in one shape', async () => {
    for (const key of [null, 'wrong-admin-key', GATEWAY_KEY]) {
      const reply = await admin('GET', '/keys', undefined, key);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: { type: 'authentication_error', message: expect.any(String) } });
      expect(JSON.stringify(reply.body)).not.toContain(ADMIN_KEY);
    }
    expect((await admin('GET', '/keys')).status).toBe(200);
  });

  it('is off when MATEY_ADMIN_KEY is not set, even to the key that opens it elsewhere', async () => {
    const response = await fetch(`${closedAdmin.url}/admin/keys`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(response.status).toBe(404);
  });

  it('refuses bad input with 400, naming the field, and unknown ids with 404', async () => {
    const badLimit = await admin('POST', '/keys', { name: 'k', requestsPerMinute: -1 });
    expect(badLimit).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', param: 'requestsPerMinute' } },
    });
    const unknownField = await admin('POST', '/teams', { name: 't', owner: 'me' });
    expect(unknownField).toMatchObject({ status: 400, body: { error: { param: 'owner' } } });
    const notJson = await admin('POST', '/teams', '{not json');
    expect(notJson).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } });
    const noTeam = await admin('POST', '/keys', { name: 'k', teamId: 'team_missing' });
    expect(noTeam).toMatchObject({ status: 400, body: { error: { param: 'teamId' } } });
    expect(await admin('GET', '/keys/key_missing')).toMatchObject({
      status: 404,
      body: { error: { type: 'not_found_error' } },
    });
    expect((await admin('POST', '/keys/key_missing/rotate')).status).toBe(404);
  });

  it('lists, updates and deletes teams; a team with live keys is not deleted', async () => {
    const team = await admin('POST', '/teams', {
      name: 'platform',
      requestsPerMinute: 100,
      metadata: { cost: 'c-42' },
    });
    const id = String(team.body.id);
    const key = await admin('POST', '/keys', { name: 'svc', teamId: id });
    const updated = await admin('PATCH', `/teams/${id}`, { requestsPerMinute: null, budgetUsdPerMonth: 50 });
    expect(updated.body).toMatchObject({
      requestsPerMinute: null,
      budgetUsdPerMonth: 50,
      metadata: { cost: 'c-42' },
    });
    expect((await admin('GET', '/teams')).body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ id })]),
    );
    expect((await admin('GET', `/keys?teamId=${id}`)).body.data).toEqual([
      expect.objectContaining({ id: key.body.id }),
    ]);
    expect(await admin('DELETE', `/teams/${id}`)).toMatchObject({
      status: 409,
      body: { error: { type: 'conflict_error' } },
    });
    await admin('POST', `/keys/${String(key.body.id)}/revoke`);
    expect((await admin('DELETE', `/teams/${id}`)).status).toBe(200);
    expect((await admin('GET', `/teams/${id}`)).status).toBe(404);
  });

  it('shows a key once: reads and lists carry its prefix, never the key', async () => {
    const created = await admin('POST', '/keys', { name: 'once', allowedModels: ['gpt-*'] });
    const secret = String(created.body.key);
    const listed = await admin('GET', '/keys');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).toContain(String(created.body.keyPrefix));
  });

  it('shows the spend log backlog on /metrics', async () => {
    const response = await fetch(`${gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    });
    const text = await response.text();
    expect(text).toMatch(/^matey_spend_backlog_rows\{tier="memory"\} \d+$/m);
    expect(text).toMatch(/^matey_spend_log_dropped 0$/m);
  });

  it('describes itself in a valid OpenAPI 3.1 document at /admin/openapi.json', async () => {
    const response = await fetch(`${gateway.url}/admin/openapi.json`);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/admin/keys',
        '/admin/keys/{id}/rotate',
        '/admin/keys/{id}/revoke',
        '/admin/teams/{id}',
      ]),
    );
  });
});
