// The emulator's state: in memory, optionally backed by a JSON file. Nothing happens until the first request
// (an MCP client may start a throw-away probe copy of the server: startup must not write or seed).
//
// File I/O is synchronous on purpose: a request reads fresh state, runs and persists without yielding to the
// event loop, so requests in one process never interleave.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { emptyState, type State } from './state.js';

export interface StoreOptions {
  /** Where to keep the state; undefined = in memory only. */
  statePath?: string;
  /** Fills an empty state on first use (the demo APIs). */
  seed?: (state: State) => void;
}

export class Store {
  private state: State | undefined;
  /** Identity of the file as we last read or wrote it; a different one means another process wrote it. */
  private stamp: string | undefined;

  constructor(private readonly opts: StoreOptions = {}) {}

  /** Runs a read-only operation against the current state. */
  read<T>(run: (state: State) => T): T {
    return run(this.current());
  }

  /**
   * Runs an operation that may change the state. It works on a copy that replaces the state (and the file) only if
   * it returns normally, so an operation that throws half-way changes nothing.
   */
  write<T>(run: (state: State) => T): T {
    const next = structuredClone(this.current());
    const result = run(next);
    this.persist(next);
    this.state = next;
    return result;
  }

  private current(): State {
    if (this.state === undefined) {
      const loaded = this.load();
      if (this.opts.seed && Object.keys(loaded.apis).length === 0) {
        this.opts.seed(loaded);
        this.persist(loaded);
      }
      this.state = loaded;
    } else if (this.opts.statePath && this.fileStamp() !== this.stamp) {
      // Another process sharing the file wrote it. Remaining race: two processes that read the same version and
      // both write lose one of the two writes (last rename wins); there is no lock, as an emulator does not need one.
      this.state = this.load();
    }
    return this.state;
  }

  private fileStamp(): string | undefined {
    try {
      // A rename gives the file a new inode, so ino catches writes that keep size and mtime.
      const s = statSync(this.opts.statePath!);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private load(): State {
    const path = this.opts.statePath;
    if (!path) return emptyState();
    const stamp = this.fileStamp();
    if (stamp === undefined) {
      this.stamp = undefined;
      return emptyState();
    }
    // Named with the fix: the server checks the file at start, but another process may have written it since.
    const fix = `move it aside to start again with the demo APIs, or choose another file with --state`;
    let parsed: State;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as State;
    } catch (err) {
      throw new Error(`State file ${path} cannot be read as JSON (${String((err as Error).message).replace(/\s+/g, ' ').slice(0, 200)}): ${fix}`);
    }
    if (parsed?.version !== 1 || typeof parsed.apis !== 'object' || parsed.apis === null)
      throw new Error(`State file ${path} is not an apigw-integration-mcp emulator state file (version 1): ${fix}`);
    // Taken only once read: a file that failed stays unread, and the next request tries it again rather than
    // serving the state from before it broke.
    this.stamp = stamp;
    return parsed;
  }

  /** Writes `<path>.<pid>.tmp`, flushes it and renames it over the file, so a reader never sees half a file. */
  private persist(state: State): void {
    const path = this.opts.statePath;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(state, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    this.stamp = this.fileStamp();
  }
}
