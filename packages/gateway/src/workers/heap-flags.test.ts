import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEMI_SPACE_MB,
  semiSpaceFromFlags,
  singleProcessHeapNote,
  workerExecArgv,
} from './heap-flags.ts';

describe('heap flags', () => {
  it('reads the semi-space from the command line over NODE_OPTIONS, in either spelling', () => {
    expect(semiSpaceFromFlags([])).toBeUndefined();
    expect(semiSpaceFromFlags(['--max-semi-space-size=64'])).toBe(64);
    expect(semiSpaceFromFlags(['--max_semi_space_size', '8'])).toBe(8);
    expect(semiSpaceFromFlags([], '--enable-source-maps --max-semi-space-size=32')).toBe(32);
    expect(semiSpaceFromFlags(['--max-semi-space-size=64'], '--max-semi-space-size=32')).toBe(64);
  });

  it("gives a worker the config's size, replacing the primary's flag and keeping its other flags", () => {
    expect(workerExecArgv(['--enable-source-maps', '--max-semi-space-size=64'], 32)).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=32',
    ]);
    expect(workerExecArgv(['--max_semi_space_size', '64', '--inspect=0'], 8)).toEqual([
      '--inspect=0',
      '--max-semi-space-size=8',
    ]);
    // No config: the primary's own size carries over; none at all: the gateway's default.
    expect(workerExecArgv([], undefined, '--max-semi-space-size=64')).toEqual(['--max-semi-space-size=64']);
    expect(DEFAULT_SEMI_SPACE_MB).toBe(32);
    expect(workerExecArgv(['--enable-source-maps'], undefined)).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=32',
    ]);
    // V8's own size needs no flag.
    expect(workerExecArgv(['--max-semi-space-size=64'], 16)).toEqual([]);
  });

  it('tells a single process started without the configured size how to get it', () => {
    expect(singleProcessHeapNote(undefined, [])).toBeUndefined();
    expect(singleProcessHeapNote(32, ['--max-semi-space-size=32'])).toBeUndefined();
    expect(singleProcessHeapNote(16, [])).toBeUndefined();
    expect(singleProcessHeapNote(32, [], '--max-semi-space-size=64')).toContain(
      'runs with 64 MB; V8 sizes its heap at start-up: start it with NODE_OPTIONS=--max-semi-space-size=32',
    );
  });
});
