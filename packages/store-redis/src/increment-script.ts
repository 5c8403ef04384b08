import { createHash } from 'node:crypto';

/**
 * Adds ARGV[1] to KEYS[1] and returns the new value; ARGV[2] (milliseconds, or '') is the TTL
 * of a key this call creates. One script, so the read, the add and the expiry are one atomic
 * step for every client: PEXPIRE NX alone would also set a TTL on a key created without one.
 * A key holding something other than a number is replaced, as MemoryStore does.
 */
export const INCREMENT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) then
  return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
end
if current then redis.call('DEL', KEYS[1]) end
local value = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

/** For EVALSHA, which spares sending the script on every call. */
export const INCREMENT_SCRIPT_SHA = createHash('sha1').update(INCREMENT_SCRIPT).digest('hex');
