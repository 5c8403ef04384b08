import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRow, type QueuedSpendRow, type SpendOverflow } from './spend-overflow.ts';

/** `spend-<pid>x<random>-<segment>.jsonl`, or `left-…` once its process closed it. */
const FILE = /^(spend|left)-((\d+)x[0-9a-f]+)-(\d+)\.jsonl$/;

export interface FileSpendOverflowOptions {
  /** The folder the JSONL files go in (made when missing). Replicas may share it. */
  dir: string;
  /** Another process's file untouched this long is taken as left behind, and written. Default 60 s. */
  staleMs?: number;
}

/**
 * Spend rows kept in append-only JSONL files of one folder while the database is away. Each
 * process appends to a segment of its own (`spend-<pid>x<id>-<n>.jsonl`); draining starts a new
 * segment, writes the old one's rows and deletes it. Files left behind (closed ones, those of a
 * process no longer running, or untouched for `staleMs`) are claimed by renaming, so two
 * replicas never write the same file.
 * A torn last line (a crash mid-append) is skipped.
 *
 * @example
 * const overflow = await FileSpendOverflow.open({ dir: '/var/lib/matey/spend' });
 * const writer = new SpendLogWriter(sql, { overflow });
 */
export class FileSpendOverflow implements SpendOverflow {
  readonly tier = 'file';
  readonly #dir: string;
  readonly #staleMs: number;
  readonly #id = `${process.pid}x${randomBytes(6).toString('hex')}`;
  #segment = 0;
  #rows = 0;
  #appending: Promise<void> = Promise.resolve();

  private constructor(options: FileSpendOverflowOptions) {
    this.#dir = options.dir;
    this.#staleMs = options.staleMs ?? 60_000;
  }

  /** Makes the folder and counts the rows already in it (left by an earlier run). */
  static async open(options: FileSpendOverflowOptions): Promise<FileSpendOverflow> {
    const overflow = new FileSpendOverflow(options);
    await mkdir(options.dir, { recursive: true });
    for (const name of await overflow.#files())
      overflow.#rows += (await overflow.#read(join(options.dir, name))).length;
    return overflow;
  }

  async size(): Promise<number> {
    return this.#rows;
  }

  append(rows: QueuedSpendRow[]): Promise<void> {
    if (rows.length === 0) return this.#appending;
    const text = `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
    const appended = this.#appending.then(async () => {
      await appendFile(this.#path(this.#segment), text);
      this.#rows += rows.length;
    });
    this.#appending = appended.catch(() => undefined);
    return appended;
  }

  async drain(max: number, write: (rows: unknown[]) => Promise<void>): Promise<number> {
    const path = await this.#claim();
    if (!path) return 0;
    const rows = await this.#read(path);
    for (let start = 0; start < rows.length; start += max) await write(rows.slice(start, start + max));
    await unlink(path);
    this.#rows = Math.max(0, this.#rows - rows.length);
    return rows.length;
  }

  /** Marks this process's files as left behind, for the next process (or a replica) to write. */
  async close(): Promise<void> {
    await this.#appending;
    for (const name of await this.#files()) {
      const match = FILE.exec(name);
      if (match?.[1] === 'spend' && match[2] === this.#id)
        await rename(join(this.#dir, name), join(this.#dir, `left-${match[2]}-${match[4]}.jsonl`)).catch(
          () => undefined,
        );
    }
  }

  /** Closed, or its process is gone, or untouched for `staleMs`. */
  async #leftBehind(name: string): Promise<boolean> {
    const match = FILE.exec(name);
    if (!match || match[1] === 'left' || !running(Number(match[3]))) return true;
    const touched = await stat(join(this.#dir, name)).then(
      (info) => info.mtimeMs,
      () => Date.now(),
    );
    return Date.now() - touched >= this.#staleMs;
  }

  /** A file to write now: an older segment of ours, else one left behind, else the current one. */
  async #claim(): Promise<string | undefined> {
    const files = await this.#files();
    const own = files.find((name) => {
      const match = FILE.exec(name);
      return match?.[2] === this.#id && Number(match[4]) !== this.#segment;
    });
    if (own) return join(this.#dir, own);
    for (const name of files) {
      if (FILE.exec(name)?.[2] === this.#id || !(await this.#leftBehind(name))) continue;
      const path = join(this.#dir, name);
      const claimed = this.#path(this.#segment + 1_000_000 + Math.floor(Math.random() * 1e6));
      // Renamed by someone else first: theirs to write.
      const won = await rename(path, claimed).then(
        () => true,
        () => false,
      );
      if (won) return claimed;
    }
    if (!files.includes(`spend-${this.#id}-${this.#segment}.jsonl`)) return undefined;
    // New rows go to the next segment while this one is written.
    const current = this.#path(this.#segment);
    this.#segment += 1;
    await this.#appending;
    return current;
  }

  async #files(): Promise<string[]> {
    return (await readdir(this.#dir)).filter((name) => FILE.test(name)).sort();
  }

  async #read(path: string): Promise<QueuedSpendRow[]> {
    const text = await readFile(path, 'utf8').catch(() => '');
    return text.split('\n').flatMap((line) => {
      const row = line ? parseRow(line) : undefined;
      return row ? [row] : [];
    });
  }

  #path(segment: number): string {
    return join(this.#dir, `spend-${this.#id}-${segment}.jsonl`);
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
