/**
 * The young generation's size (V8's semi-space, MB) for the gateway's processes. V8 sizes the heap
 * when the process starts: `v8.setFlagsFromString('--max-semi-space-size=…')` at start-up was
 * measured to change nothing (the new space stays at its default), so the size reaches a process
 * only as a Node flag: on the command line, in NODE_OPTIONS, or in a cluster worker's execArgv.
 */

/** V8's own semi-space maximum on 64-bit Node 22 (MB): what a process gets without the flag. */
export const V8_DEFAULT_SEMI_SPACE_MB = 16;

/**
 * The gateway's default for its worker processes (bench/src/report/findings.md, "Young generation
 * and RSS", has the measurements): twice V8's own. It took 6–28 % off the CPU per request at
 * 16 MB for ≈ 20–50 MB more peak RSS a worker; 64 MB cost ≈ 45–110 MB more for little more.
 */
export const DEFAULT_SEMI_SPACE_MB = 32;

const FLAG = /^--max[-_]semi[-_]space[-_]size(?:=(\d+))?$/;

/** The semi-space size (MB) named by Node flags (execArgv, then NODE_OPTIONS), if any. */
export function semiSpaceFromFlags(execArgv: readonly string[], nodeOptions = ''): number | undefined {
  let found: number | undefined;
  // NODE_OPTIONS is read first and the command line after it: the command line wins.
  for (const flags of [nodeOptions.split(/\s+/), execArgv]) {
    for (let index = 0; index < flags.length; index++) {
      const match = FLAG.exec(flags[index] ?? '');
      if (!match) continue;
      const value = match[1] ?? flags[index + 1];
      if (value && /^\d+$/.test(value)) found = Number(value);
    }
  }
  return found;
}

/**
 * A cluster worker's Node flags: the primary's, with the semi-space the config names (else the
 * primary's own flag, else the gateway's default).
 */
export function workerExecArgv(
  execArgv: readonly string[],
  configured: number | undefined,
  nodeOptions = '',
): string[] {
  const semiSpaceMb = configured ?? semiSpaceFromFlags(execArgv, nodeOptions) ?? DEFAULT_SEMI_SPACE_MB;
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const flag = execArgv[index] ?? '';
    const match = FLAG.exec(flag);
    if (!match) kept.push(flag);
    else if (match[1] === undefined) index++;
  }
  return semiSpaceMb === V8_DEFAULT_SEMI_SPACE_MB ? kept : [...kept, `--max-semi-space-size=${semiSpaceMb}`];
}

/**
 * For a gateway in one process: a note when the config names a semi-space this process was not
 * started with (it cannot change its own heap; restarting itself would put a second process in
 * front of the one a supervisor signals).
 */
export function singleProcessHeapNote(
  configured: number | undefined,
  execArgv: readonly string[],
  nodeOptions = '',
): string | undefined {
  if (configured === undefined) return undefined;
  const running = semiSpaceFromFlags(execArgv, nodeOptions) ?? V8_DEFAULT_SEMI_SPACE_MB;
  if (running === configured) return undefined;
  return (
    `Note: server.heap.semiSpaceMb is ${configured} but this single process runs with ${running} MB; ` +
    `V8 sizes its heap at start-up: start it with NODE_OPTIONS=--max-semi-space-size=${configured} (workers get it by themselves).`
  );
}
