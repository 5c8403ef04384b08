import { z } from 'zod';
import {
  adminErrorSchema,
  issuedKeySchema,
  keyInputSchema,
  keyPatchSchema,
  keyRecordSchema,
  spendGroupSchema,
  teamInputSchema,
  teamPatchSchema,
  teamRecordSchema,
} from './admin-schemas.ts';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
const reply = (description: string, schema: Json): Json => ({ description, ...json(schema) });
const list = (name: string): Json => ({
  type: 'object',
  properties: { data: { type: 'array', items: ref(name) } },
  required: ['data'],
});
const errors: Json = {
  '400': reply('Invalid body', ref('Error')),
  '401': reply('No or wrong admin key', ref('Error')),
  '404': reply('Not found', ref('Error')),
};
const query = (name: string, schema: Json): Json => ({ name, in: 'query', required: false, schema });
const idParameter: Json = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

function operation(summary: string, ok: Json, body?: string): Json {
  return {
    summary,
    ...(body ? { requestBody: { required: true, ...json(ref(body)) } } : {}),
    responses: { ...ok, ...errors },
  };
}

let cached: Json | undefined;

/**
 * The admin API's OpenAPI 3.1 description: its schemas generated from the zod schemas the routes
 * validate with (JSON Schema 2020-12, which OpenAPI 3.1 uses), its paths written here.
 */
export function adminOpenApi(): Json {
  cached ??= {
    openapi: '3.1.0',
    info: { title: 'ai.matey gateway admin API', version: '1.0.0' },
    security: [{ adminKey: [] }],
    paths: {
      '/admin/teams': {
        get: operation('List teams', { '200': reply('Teams', list('Team')) }),
        post: operation('Create a team', { '201': reply('The team', ref('Team')) }, 'TeamInput'),
      },
      '/admin/teams/{id}': {
        parameters: [idParameter],
        get: operation('Read a team', { '200': reply('The team', ref('Team')) }),
        patch: operation('Update a team', { '200': reply('The team', ref('Team')) }, 'TeamPatch'),
        delete: operation('Delete a team with no live keys', {
          '200': reply('Deleted', { type: 'object', properties: { id: { type: 'string' } } }),
          '409': reply('The team has live keys', ref('Error')),
        }),
      },
      '/admin/keys': {
        get: {
          ...operation('List keys', { '200': reply('Keys', list('Key')) }),
          parameters: [{ name: 'teamId', in: 'query', required: false, schema: { type: 'string' } }],
        },
        post: operation(
          'Create a key (its secret is in this reply only)',
          {
            '201': reply('The key and its secret', ref('IssuedKey')),
          },
          'KeyInput',
        ),
      },
      '/admin/keys/{id}': {
        parameters: [idParameter],
        get: operation('Read a key', { '200': reply('The key', ref('Key')) }),
        patch: operation('Update a key', { '200': reply('The key', ref('Key')) }, 'KeyPatch'),
      },
      '/admin/keys/{id}/rotate': {
        parameters: [idParameter],
        post: operation('Give a key a new secret', {
          '200': reply('The key and its new secret', ref('IssuedKey')),
        }),
      },
      '/admin/spend': {
        get: {
          ...operation('Requests, tokens and cost from the spend log', {
            '200': reply('Spend by group', {
              type: 'object',
              properties: {
                groupBy: { type: 'string' },
                data: { type: 'array', items: ref('SpendGroup') },
              },
              required: ['groupBy', 'data'],
            }),
          }),
          parameters: [
            ...['key', 'team', 'model', 'provider'].map((name) => query(name, { type: 'string' })),
            ...['from', 'to'].map((name) => query(name, { type: 'string', format: 'date-time' })),
            query('groupBy', {
              type: 'string',
              enum: ['day', 'model', 'provider', 'key', 'team'],
              default: 'day',
            }),
          ],
        },
      },
      '/admin/keys/{id}/revoke': {
        parameters: [idParameter],
        post: operation('Revoke a key on every replica', { '200': reply('The key', ref('Key')) }),
      },
    },
    components: {
      securitySchemes: { adminKey: { type: 'http', scheme: 'bearer', description: 'MATEY_ADMIN_KEY' } },
      schemas: {
        TeamInput: schema(teamInputSchema, 'input'),
        TeamPatch: schema(teamPatchSchema, 'input'),
        Team: schema(teamRecordSchema, 'output'),
        KeyInput: schema(keyInputSchema, 'input'),
        KeyPatch: schema(keyPatchSchema, 'input'),
        Key: schema(keyRecordSchema, 'output'),
        IssuedKey: schema(issuedKeySchema, 'output'),
        SpendGroup: schema(spendGroupSchema, 'output'),
        Error: schema(adminErrorSchema, 'output'),
      },
    },
  };
  return cached;
}

function schema(zodSchema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(zodSchema, { io, target: 'draft-2020-12' }) as Json;
  return rest;
}
