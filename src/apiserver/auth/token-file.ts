import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { writePrivateFile } from './private-file.ts';

export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
}

const RECHECK_MS = 1000;

type Line =
  | { readonly kind: 'blank' }
  | { readonly kind: 'token'; readonly token: string; readonly user: UserInfo }
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Kubernetes' --token-auth-file: CSV lines `token,user,uid,"group1,group2"`. The file is re-read when it
 * changes, checked at most once a second, so tokens added or removed while serving take effect within one.
 */
export class StaticTokenFile {
  readonly #path: string;
  readonly #now: () => number;
  readonly #onError: (message: string) => void;
  /** Keyed by SHA-256 of the token: a hash lookup leaks no timing about how much of a guess was right. */
  #users = new Map<string, UserInfo>();
  #version: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;

  constructor(path: string, options: { now?: () => number; onError?: (message: string) => void } = {}) {
    this.#path = path;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? ((message) => console.warn(message));
    this.#refresh();
  }

  lookup(token: string): UserInfo | undefined {
    if (this.#now() - this.#checkedAt >= RECHECK_MS) this.#refresh();
    return this.#users.get(digest(token));
  }

  #refresh(): void {
    this.#checkedAt = this.#now();
    const version = fileVersion(this.#path);
    if (version === this.#version) return;
    this.#version = version;
    this.#users = new Map();
    if (version === 'missing') return;
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (error) {
      this.#onError(`${this.#path}: ${(error as Error).message}; no token is accepted until it is readable`);
      return;
    }
    text.split('\n').forEach((raw, i) => {
      const line = parseLine(raw);
      if (line.kind === 'malformed') this.#onError(`${this.#path}:${i + 1}: ${line.reason}; line ignored`);
      if (line.kind !== 'token') return;
      const key = digest(line.token);
      if (this.#users.has(key)) this.#onError(`${this.#path}:${i + 1}: duplicate token; this line wins`);
      this.#users.set(key, line.user);
    });
  }
}

/** Appends a line for a new random token and returns the token; creates the file, mode 0600. */
export function addToken(path: string, user: { name: string; groups: readonly string[] }): string {
  for (const value of [user.name, ...user.groups]) {
    if (value.trim() === '' || /[",\r\n]/.test(value) || value !== value.trim()) {
      throw new Error(
        `"${value}" cannot be a user or group in a token file (empty, padded, or has , " or a newline)`,
      );
    }
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a+', 0o600);
  try {
    fchmodSync(fd, 0o600);
    const line = `${token},${user.name},${user.name},"${user.groups.join(',')}"\n`;
    writeSync(fd, endsWithNewline(fd) ? line : `\n${line}`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return token;
}

/** Rewrites the file (atomically, mode 0600) without the user's tokens; returns how many were removed. */
export function removeTokens(path: string, userName: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const lines = text.split('\n');
  const kept = lines.filter((raw) => {
    const line = parseLine(raw);
    return line.kind !== 'token' || line.user.name !== userName;
  });
  const removed = lines.length - kept.length;
  if (removed > 0) writePrivateFile(path, kept.join('\n'));
  return removed;
}

/** The users the file names, in file order (the admin first, as nso up writes it); a missing file names none. */
export function tokenFileUsers(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').flatMap((raw) => {
    const line = parseLine(raw);
    return line.kind === 'token' ? [line.user.name] : [];
  });
}

function parseLine(raw: string): Line {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return { kind: 'blank' };
  const fields = csvFields(text);
  if (fields === undefined) return { kind: 'malformed', reason: 'unbalanced or stray quote' };
  const [token, name, uid, groups] = fields.map((field) => field.trim());
  if (uid === undefined) return { kind: 'malformed', reason: 'expected token,user,uid[,"groups"]' };
  if (token === '') return { kind: 'malformed', reason: 'empty token' };
  if (name === '') return { kind: 'malformed', reason: 'empty user name' };
  const user: UserInfo = {
    name: name!,
    ...(uid === '' ? {} : { uid }),
    groups: (groups ?? '')
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== ''),
  };
  return { kind: 'token', token: token!, user };
}

/** One CSV record on one line (RFC 4180 quoting, leading spaces trimmed as Kubernetes' reader does). */
function csvFields(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return undefined;
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      const value = line.slice(i, end);
      if (value.includes('"')) return undefined;
      fields.push(value);
      i = end;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') return undefined;
    i++;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

/** What changes when the file is edited in place, appended to, or replaced by rename. */
function fileVersion(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : `error:${code}`;
  }
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
