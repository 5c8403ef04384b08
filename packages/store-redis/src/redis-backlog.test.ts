import { afterEach, describe, expect, it } from 'vitest';
import { RedisBacklog } from './redis-backlog.ts';
import { connectLocalRedis, deleteKeys, uniquePrefix } from './test-support/local-redis.ts';

const open: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function backlog(): Promise<{ key: string; replicas: [RedisBacklog, RedisBacklog] }> {
  const prefix = uniquePrefix('backlog');
  const raw = await connectLocalRedis();
  open.push(async () => {
    await deleteKeys(raw, prefix);
    raw.disconnect();
  });
  const key = `${prefix}spend`;
  const replicas: [RedisBacklog, RedisBacklog] = [new RedisBacklog({ key }), new RedisBacklog({ key })];
  for (const replica of replicas) open.push(() => replica.close());
  return { key, replicas };
}

describe('RedisBacklog', () => {
  it('hands rows out oldest first and trims them only once written', async () => {
    const { replicas } = await backlog();
    const [one] = replicas;
    await one.append(Array.from({ length: 12 }, (_, index) => ({ id: index })));
    expect(await one.size()).toBe(12);
    await expect(
      one.drain(5, async () => {
        throw new Error('database away');
      }),
    ).rejects.toThrow('database away');
    expect(await one.size()).toBe(12);
    const seen: unknown[] = [];
    while ((await one.drain(5, async (rows) => void seen.push(...rows))) > 0);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, index) => ({ id: index })));
    expect(await one.size()).toBe(0);
  });

  it('lets one replica drain at a time: the other gets nothing while the first is writing', async () => {
    const { replicas } = await backlog();
    const [one, two] = replicas;
    await one.append([{ id: 'a' }, { id: 'b' }]);
    let release = () => {};
    const writing = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = one.drain(10, () => writing);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await two.drain(10, async () => undefined)).toBe(0);
    release();
    expect(await first).toBe(2);
    expect(await two.size()).toBe(0);
  });
});
