import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The guide these blocks come from, as the project received it (shared/seeds/000_…).
const guide = readFileSync(new URL('../000_a3ba878ca1ecbf48.txt', import.meta.url), 'utf8');
const guideBlocks = [...guide.matchAll(/```typescript\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const blocksDir = new URL('./blocks/', import.meta.url);
const blockFiles = readdirSync(blocksDir)
  .filter((name) => name.endsWith('.ts'))
  .sort();

const MARK = '// seed edit';

/** Lines of `file` that are edits: a line carrying the mark, or a group under a mark-only comment up to a blank line. */
function markedLines(lines: readonly string[]): Set<number> {
  const marked = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.includes(MARK)) continue;
    marked.add(i);
    if (!line.trimStart().startsWith(MARK)) continue;
    for (let j = i + 1; j < lines.length && (lines[j] ?? '').trim() !== ''; j++) marked.add(j);
  }
  return marked;
}

type Op = { kind: 'same' | 'added' | 'removed'; line: string; at: number };

/** A line diff (longest common subsequence) from the guide's block to the file. */
function diff(from: readonly string[], to: readonly string[]): Op[] {
  const lcs = Array.from({ length: from.length + 1 }, () => new Array<number>(to.length + 1).fill(0));
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      lcs[i]![j] = from[i] === to[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && from[i] === to[j]) {
      ops.push({ kind: 'same', line: to[j]!, at: j });
      i++;
      j++;
    } else if (j < to.length && (i === from.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      ops.push({ kind: 'added', line: to[j]!, at: j });
      j++;
    } else {
      ops.push({ kind: 'removed', line: from[i]!, at: j });
      i++;
    }
  }
  return ops;
}

/** What is wrong with a block file: unmarked additions, and guide lines changed with no marked line in their place. */
function problems(block: string, file: string): string[] {
  const from = block.replace(/\n$/, '').split('\n');
  const to = file.replace(/\n$/, '').split('\n');
  const marked = markedLines(to);
  const found: string[] = [];
  const ops = diff(from, to);
  for (let start = 0; start < ops.length; start++) {
    if (ops[start]!.kind === 'same') continue;
    let end = start;
    while (end < ops.length && ops[end]!.kind !== 'same') end++;
    const hunk = ops.slice(start, end);
    const added = hunk.filter((op) => op.kind === 'added');
    for (const op of added) {
      if (op.line.trim() !== '' && !marked.has(op.at)) found.push(`unmarked line ${op.at + 1}: ${op.line}`);
    }
    const replaced = added.some((op) => op.line.includes(MARK));
    for (const op of hunk.filter((op) => op.kind === 'removed')) {
      if (!replaced) found.push(`guide line dropped without a marked replacement: ${op.line}`);
    }
    start = end - 1;
  }
  return found;
}

describe("the guide's code blocks, verbatim", () => {
  it('has one file per block of the guide, in order', () => {
    expect(guideBlocks).toHaveLength(10);
    expect(blockFiles).toHaveLength(guideBlocks.length);
  });

  it.each(blockFiles.map((name, index) => [name, index] as const))(
    '%s is its block, every edit marked',
    (name, index) => {
      const file = readFileSync(new URL(name, blocksDir), 'utf8');
      expect(problems(guideBlocks[index] ?? '', file)).toEqual([]);
    },
  );

  it('notices an unmarked change', () => {
    const block = guideBlocks[2] ?? '';
    expect(problems(block, block)).toEqual([]);
    expect(problems(block, block.replace('error.message}`', '(error as Error).message}`'))).toHaveLength(2);
    expect(problems(block, `import { Bridge } from 'ai.matey.core';\n${block}`)).toEqual([
      "unmarked line 1: import { Bridge } from 'ai.matey.core';",
    ]);
  });
});
