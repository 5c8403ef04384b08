import { type Document, isAlias, isMap, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { ConfigIssue } from './config-error.ts';

/** Expansions one alias may cause before the file is refused as an alias bomb ("billion laughs"). */
const MAX_ALIAS_EXPANSIONS = 100;

/** A config file parsed as YAML (JSON is YAML), with the lines of its fields. */
export interface ConfigDocument {
  /** The plain value, or `undefined` when the file could not be read (see `issues`). */
  value: unknown;
  issues: ConfigIssue[];
  /** The line of the deepest node along `path` that exists in the file. */
  lineOf(path: readonly string[]): number | undefined;
}

/**
 * Parses the text. Syntax errors, aliases that contain themselves and alias bombs come back as
 * issues, never as a thrown RangeError or ReferenceError.
 */
export function readConfigDocument(text: string): ConfigDocument {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? undefined : counter.linePos(offset).line;
  const lineOf = (path: readonly string[]) => lineAt(offsetOf(document, path));
  const issues: ConfigIssue[] = document.errors.map((error) => ({
    field: '',
    // Without prettyErrors the parser leaves `linePos` unset: locate the error from its offset.
    line: error.linePos?.[0]?.line ?? lineAt(error.pos[0]),
    message: error.message.split('\n')[0] ?? 'YAML syntax error',
  }));
  if (issues.length > 0) return { value: undefined, issues, lineOf };

  visit(document, {
    Alias(_key, alias, path) {
      const target = alias.resolve(document);
      if (target && path.includes(target as never)) {
        issues.push({
          field: '',
          line: lineAt(alias.range?.[0]),
          message: `the alias *${alias.source} refers to a node that contains it (a loop)`,
        });
      }
    },
  });
  if (issues.length > 0) return { value: undefined, issues, lineOf };

  try {
    return { value: document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) ?? {}, issues, lineOf };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let first: Node | undefined;
    visit(document, {
      Alias(_key, alias) {
        first = alias;
        return visit.BREAK;
      },
    });
    issues.push({
      field: '',
      line: lineAt(first?.range?.[0]),
      message: `aliases expand to too many nodes (more than ${MAX_ALIAS_EXPANSIONS} per alias): refused as an alias bomb`,
    });
    return { value: undefined, issues, lineOf };
  }
}

function offsetOf(document: Document, path: readonly string[]): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const key of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown })?.value ?? item.key) === key,
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number] } | null | undefined)?.range?.[0];
}
