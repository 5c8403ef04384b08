import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);

/**
 * The guides in docs/ whose TypeScript samples are excerpts of files that CI type-checks and
 * tests: each block names its source file on its first line and must stand in it verbatim, so a
 * sample cannot drift from code that compiles.
 */
const guides = [
  { file: 'docs/writing-a-backend.md', minimumBlocks: 8 },
  { file: 'docs/adding-a-wire-protocol.md', minimumBlocks: 5 },
  { file: 'docs/writing-a-guardrail.md', minimumBlocks: 8 },
];

describe.each(guides)('$file', ({ file, minimumBlocks }) => {
  const guide = readFileSync(new URL(file, root), 'utf8');
  const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => {
    const [first = '', ...rest] = (match[1] ?? '').split('\n');
    return { source: /^\/\/ (\S+\.ts)$/.exec(first)?.[1], code: rest.join('\n').trimEnd() };
  });

  it('has TypeScript samples, each naming its source file', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(minimumBlocks);
    expect(blocks.filter((block) => block.source === undefined)).toEqual([]);
  });

  it.each(blocks.map((block) => [block.source ?? '?', block.code] as const))(
    '%s excerpt is verbatim',
    (source, code) => {
      const text = readFileSync(fileURLToPath(new URL(source, root)), 'utf8');
      expect(text).toContain(code);
    },
  );

  it('names files that exist', () => {
    for (const [, path] of guide.matchAll(/`((?:packages|examples)\/[\w./-]+\.ts)`/g)) {
      expect(() => readFileSync(fileURLToPath(new URL(path ?? '', root)))).not.toThrow();
    }
  });
});
