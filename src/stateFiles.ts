// The local files the server needs (the emulator's state file, the audit log), checked at start without writing
// anything (MCP clients start throw-away probe copies of a server): a bad file is named with what is wrong and the
// fix, once in the log and in every tool call's answer, instead of an emulator 500 on every call.
import { constants, accessSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/** The file system calls the check makes: the OS's by default (tests inject errno answers root cannot provoke). */
export interface FileProbe {
  stat(path: string): Stats;
  access(path: string, mode: number): void;
  read(path: string): string;
}

const realProbe: FileProbe = { stat: (p) => statSync(p), access: (p, m) => accessSync(p, m), read: (p) => readFileSync(p, 'utf8') };

export interface CheckedFiles {
  /** The emulator's state file (local backend only). */
  statePath?: string;
  auditLog: string;
  /** Read-only servers never append to the audit log: it only needs to be readable, if it exists. */
  readOnly: boolean;
}

/** What an errno means to a user, in a few words. */
const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};
const why = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  return `${WHY[code] ?? (err as Error)?.message ?? String(err)}${WHY[code] ? ` (${code})` : ''}`;
};
/** The parser quotes the text it choked on, newlines included: the log line stays one line. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').slice(0, 200);
const errno = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

/** The stat of a path, undefined when nothing is there; other failures (ENOTDIR, EACCES) throw. */
function statOf(fs: FileProbe, path: string): Stats | undefined {
  try {
    return fs.stat(path);
  } catch (err) {
    if (errno(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Why a file that does not exist yet could not be created there, if it could not. */
function cannotCreate(fs: FileProbe, path: string): string | undefined {
  let dir = dirname(path);
  // The nearest folder that exists is where the missing ones (and the file) would be created.
  for (;;) {
    let s: Stats | undefined;
    try {
      s = statOf(fs, dir);
    } catch (err) {
      return `${dir}: ${why(err)}`;
    }
    if (s) {
      if (!s.isDirectory()) return `${dir} is a file, not a folder`;
      try {
        fs.access(dir, constants.W_OK | constants.X_OK);
        return undefined;
      } catch (err) {
        return `the folder ${dir} is not writable: ${why(err)}`;
      }
    }
    if (dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

/** What is wrong with the state file, if anything: it must be one of ours, readable, and replaceable. */
function stateProblem(fs: FileProbe, path: string): string | undefined {
  const fix = `Move it aside (mv "${path}" "${path}.bad") to start again with the demo APIs, or choose another file with --state.`;
  let s: Stats | undefined;
  try {
    s = statOf(fs, path);
  } catch (err) {
    return `State file ${path} cannot be used: ${why(err)}. Choose another file with --state.`;
  }
  if (!s) {
    const no = cannotCreate(fs, path);
    return no ? `State file ${path} cannot be created: ${no}. Choose a file in a folder you can write with --state.` : undefined;
  }
  if (!s.isFile()) return `State file ${path} is not a file. Choose another file with --state.`;
  let text: string;
  try {
    text = fs.read(path);
  } catch (err) {
    return `State file ${path} cannot be read: ${why(err)}. Fix its permissions, or choose another file with --state.`;
  }
  let doc: { version?: unknown; apis?: unknown } | undefined;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `State file ${path} is not valid JSON (${oneLine((err as Error).message)}). ${fix}`;
  }
  if (doc?.version !== 1 || typeof doc.apis !== 'object' || doc.apis === null) return `State file ${path} is not an apigw-integration-mcp emulator state file (version 1). ${fix}`;
  // Every change replaces the file (a temp file renamed over it): the folder must be writable.
  try {
    fs.access(dirname(path), constants.W_OK | constants.X_OK);
  } catch (err) {
    return `State file ${path} cannot be changed: the folder ${dirname(path)} is not writable: ${why(err)}. Fix its permissions, or choose a file in a folder you can write with --state.`;
  }
  return undefined;
}

/** What is wrong with the audit log, if anything: readable, and appendable unless the server is read-only. */
function auditProblem(fs: FileProbe, path: string, readOnly: boolean): string | undefined {
  const fix = 'Fix its permissions, or choose another file with --audit-log.';
  let s: Stats | undefined;
  try {
    s = statOf(fs, path);
  } catch (err) {
    return `Audit log ${path} cannot be used: ${why(err)}. Choose another file with --audit-log.`;
  }
  if (!s) {
    const no = readOnly ? undefined : cannotCreate(fs, path);
    return no ? `Audit log ${path} cannot be created: ${no}. Choose a file in a folder you can write with --audit-log.` : undefined;
  }
  if (!s.isFile()) return `Audit log ${path} is not a file. Choose another file with --audit-log.`;
  const needs: [number, string][] = [[constants.R_OK, 'read'], ...(readOnly ? [] : [[constants.W_OK, 'written'] as [number, string]])];
  for (const [mode, what] of needs) {
    try {
      fs.access(path, mode);
    } catch (err) {
      return `Audit log ${path} cannot be ${what}: ${why(err)}. ${fix}`;
    }
  }
  return undefined;
}

/** The first problem with the files, as one message naming the file, what is wrong and the fix; undefined if none. */
export function checkStateFiles(files: CheckedFiles, fs: FileProbe = realProbe): string | undefined {
  return (files.statePath ? stateProblem(fs, files.statePath) : undefined) ?? auditProblem(fs, files.auditLog, files.readOnly);
}
