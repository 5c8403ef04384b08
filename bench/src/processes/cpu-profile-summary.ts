import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of a CPU profile's busy samples. */
export interface SelfTime {
  function: string;
  /** `file:line`, shortened to the repository (or `node:` for Node's own code). */
  location: string;
  /** Share of the samples that were not idle. */
  percentOfBusy: number;
}

/**
 * The functions with the most self time in a `.cpuprofile`, as shares of the busy (not idle)
 * time; GC and `(program)` (native work outside JS, syscalls among it) stay in as Node names them.
 */
export function topSelfTime(
  profile: CpuProfile,
  limit = 25,
): { busyMs: number; top: SelfTime[]; byArea: Array<{ area: string; percentOfBusy: number }> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { us: number; fn: string; location: string }>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] ?? -1);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') continue;
    totalUs += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    const location = `${shorten(url)}:${lineNumber + 1}`;
    const key = `${functionName}@${location}`;
    const entry = selfUs.get(key) ?? { us: 0, fn: functionName || '(anonymous)', location };
    entry.us += delta;
    selfUs.set(key, entry);
  }
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((entry) => ({
      function: entry.fn,
      location: entry.location,
      percentOfBusy: Math.round((entry.us / Math.max(1, totalUs)) * 1000) / 10,
    }));
  const areas = new Map<string, number>();
  for (const entry of selfUs.values()) {
    const area = areaOf(entry.fn, entry.location);
    areas.set(area, (areas.get(area) ?? 0) + entry.us);
  }
  const byArea = [...areas.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, us]) => ({ area, percentOfBusy: Math.round((us / Math.max(1, totalUs)) * 1000) / 10 }));
  return { busyMs: Math.round(totalUs / 1000), top, byArea };
}

/** Which part of the stack a function belongs to: a package, Node's core, or the VM's own work. */
function areaOf(fn: string, location: string): string {
  if (fn === 'writev' || fn === 'writevGeneric' || fn === 'writeUtf8String' || fn === 'writeBuffer')
    return 'socket writes (writev syscalls)';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)') return 'V8/native, outside JS';
  const pkg = /^packages\/([\w-]+)\//.exec(location);
  if (pkg) return `ai.matey.${pkg[1]}`;
  if (location.startsWith('undici@') || location.startsWith('wasm://'))
    return 'undici (upstream client, llhttp)';
  if (
    location.startsWith('node:internal/modules') ||
    location.includes('amaro') ||
    location.includes('cjs-module-lexer')
  )
    return 'module loading (first requests)';
  if (location.startsWith('node:')) return 'Node core (http server, streams, events)';
  if (location.startsWith('@hono') || location.startsWith('hono@')) return 'hono';
  const dep = /^(@?[\w.-]+?)@/.exec(location);
  if (dep) return dep[1] ?? location;
  return fn === '(native)' || location.startsWith('(native)') ? 'native (other)' : location;
}

function shorten(url: string): string {
  if (url === '') return '(native)';
  const pnpm = url.indexOf('/node_modules/.pnpm/');
  if (pnpm !== -1) return url.slice(pnpm + '/node_modules/.pnpm/'.length).replace(/\/node_modules\//, ':');
  const repo = url.indexOf('/work/main/');
  return repo === -1 ? url : url.slice(repo + '/work/main/'.length);
}

/** Reads the newest `.cpuprofile` in `directory`. */
export async function readNewestProfile(directory: string): Promise<CpuProfile> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile')).sort();
  const newest = names.at(-1);
  if (!newest) throw new Error(`no .cpuprofile in ${directory}`);
  return JSON.parse(await readFile(join(directory, newest), 'utf8')) as CpuProfile;
}

// `node src/processes/cpu-profile-summary.ts DIR` prints the top self-time functions.
if (import.meta.main) {
  const directory = process.argv[2] ?? 'results/profiles';
  const { busyMs, top } = topSelfTime(await readNewestProfile(directory), Number(process.argv[3] ?? 30));
  console.log(`busy (not idle): ${busyMs} ms`);
  for (const entry of top)
    console.log(`${entry.percentOfBusy.toFixed(1).padStart(5)}%  ${entry.function}  ${entry.location}`);
}
