import type { GeminiPartialArg } from './gemini-types.ts';

type Key = string | number;

/**
 * Assembles a function call's arguments from Vertex's streamed pieces (`partialArgs`): each
 * piece sets the value at a JSON path (`$.location`, `$.items[0].name`), and a string value
 * marked `willContinue` is continued by the next piece for the same path.
 */
export class PartialArgsBuilder {
  readonly args: Record<string, unknown> = {};
  readonly #continuing = new Set<string>();

  apply(pieces: GeminiPartialArg[]): void {
    for (const piece of pieces) {
      const path = piece.jsonPath ?? '$';
      const keys = parseJsonPath(path);
      if (keys === undefined || keys.length === 0) continue;
      let value: unknown;
      if (piece.stringValue !== undefined) {
        const previous = this.#continuing.has(path) ? getAt(this.args, keys) : undefined;
        value = (typeof previous === 'string' ? previous : '') + piece.stringValue;
      } else if (piece.numberValue !== undefined) value = piece.numberValue;
      else if (piece.boolValue !== undefined) value = piece.boolValue;
      else if (piece.nullValue !== undefined) value = null;
      else continue;
      setAt(this.args, keys, value);
      if (piece.willContinue === true) this.#continuing.add(path);
      else this.#continuing.delete(path);
    }
  }
}

/** The keys of an RFC 9535 normalized path (`$.a.b[0]`, `$['a b']`); `undefined` if unreadable. */
export function parseJsonPath(path: string): Key[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const keys: Key[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push((match[3] ?? match[4] ?? '').replace(/\\(.)/g, '$1'));
  }
  return keys;
}

function getAt(root: Record<string, unknown>, keys: Key[]): unknown {
  let node: unknown = root;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<Key, unknown>)[key];
  }
  return node;
}

function setAt(root: Record<string, unknown>, keys: Key[], value: unknown): void {
  let node: Record<Key, unknown> = root;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    let next = node[key];
    if (typeof next !== 'object' || next === null) {
      next = typeof keys[i + 1] === 'number' ? [] : {};
      node[key] = next;
    }
    node = next as Record<Key, unknown>;
  });
}
