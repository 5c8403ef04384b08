import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const guide = readFileSync(new URL('docs/adding-a-wire-protocol.md', root), 'utf8');

/** The guide's TypeScript blocks: each names the file it is taken from on its first line. */
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => {
  const [first = '', ...rest] = (match[1] ?? '').split('\n');
  return { source: /^\/\/ (\S+\.ts)$/.exec(first)?.[1], code: rest.join('\n').trimEnd() };
});

describe('docs/adding-a-wire-protocol.md', () => {
  it('has TypeScript samples, each naming its source file', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((block) => block.source === undefined)).toEqual([]);
  });

  it.each(blocks.map((block) => [block.source ?? '?', block.code] as const))(
    '%s excerpt is verbatim',
    (source, code) => {
      const text = readFileSync(fileURLToPath(new URL(source, root)), 'utf8');
      expect(text).toContain(code);
    },
  );

  it('names files and members that exist', () => {
    for (const [, path] of guide.matchAll(/`(packages\/[\w./-]+\.ts)`/g)) {
      expect(() => readFileSync(fileURLToPath(new URL(path ?? '', root)))).not.toThrow();
    }
  });
});
