import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { presentedKey } from '../gateway-keys.ts';
import { AdminApiError } from './admin-error.ts';

/**
 * Admits only holders of the admin master key (`Authorization: Bearer` or `x-api-key`),
 * compared in constant time; gateway keys are refused here like any other wrong key.
 */
export function adminAuth(adminKey: string): MiddlewareHandler {
  const expected = createHash('sha256').update(adminKey).digest();
  return async (c, next) => {
    const headers = Object.fromEntries(c.req.raw.headers.entries());
    const secret = presentedKey(headers);
    if (!secret)
      throw new AdminApiError({
        status: 401,
        message: 'Missing admin key: send Authorization: Bearer <key>',
      });
    const presented = createHash('sha256').update(secret).digest();
    if (!timingSafeEqual(presented, expected))
      throw new AdminApiError({ status: 401, message: 'Invalid admin key', code: 'invalid_admin_key' });
    await next();
  };
}
