import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The page's files, beside `src/` and `dist/` alike (`assets/dashboard/`, in the package's `files`). */
const PAGE_FILES = new URL('../../assets/dashboard/', import.meta.url);
const resolveDependency = createRequire(import.meta.url).resolve;

const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

interface Asset {
  path: string;
  type: string;
}

/** The files the page may load, by the name it asks for: nothing else is read from disk. */
function assetTable(): Record<string, Asset> {
  const own = (name: string, type: keyof typeof TYPES): Asset => ({
    path: fileURLToPath(new URL(name, PAGE_FILES)),
    type: TYPES[type],
  });
  return {
    'index.html': own('index.html', 'html'),
    'dashboard.css': own('dashboard.css', 'css'),
    'dashboard.js': own('dashboard.js', 'js'),
    'charts.js': own('charts.js', 'js'),
    'tables.js': own('tables.js', 'js'),
    'keys.js': own('keys.js', 'js'),
    'event-stream.js': own('event-stream.js', 'js'),
    // uPlot (MIT, 51 KB minified; a classic script that sets `uPlot`), from its own package: no CDN.
    'uplot.js': { path: resolveDependency('uplot/dist/uPlot.iife.min.js'), type: TYPES.js },
    'uplot.css': { path: resolveDependency('uplot/dist/uPlot.min.css'), type: TYPES.css },
  };
}

let table: Record<string, Asset> | undefined;
const cache = new Map<string, Promise<{ body: string; type: string }>>();

/** One of the page's files (read once, then from memory), or undefined for any other name. */
export function dashboardAsset(name: string): Promise<{ body: string; type: string }> | undefined {
  table ??= assetTable();
  const asset = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!asset) return undefined;
  let loaded = cache.get(name);
  if (!loaded) {
    loaded = readFile(asset.path, 'utf8').then((body) => ({ body, type: asset.type }));
    // A failed read is tried again next time, not remembered.
    loaded.catch(() => cache.delete(name));
    cache.set(name, loaded);
  }
  return loaded;
}
