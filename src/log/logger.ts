import type { LogBuffer } from './log-buffer.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every entry (an entry's own fields win). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  readonly component: string;
  /** Where every entry goes: the component's LogBuffer, or anything else that takes lines. */
  readonly buffer: Pick<LogBuffer, 'append'>;
  /** Wall clock in ms. */
  readonly now?: () => number;
  /** The lowest level passed to `echo`; the buffer keeps every level. */
  readonly minLevel?: LogLevel;
  readonly echo?: (line: string, level: LogLevel) => void;
}

const RESERVED = new Set(['ts', 'level', 'component', 'msg']);

/** Structured logs: every entry is one JSON line in the component's buffer (what `kubectl logs` serves). */
export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? Date.now;
  const echoFrom = LOG_LEVELS.indexOf(options.minLevel ?? 'info');
  const make = (bound: LogFields): Logger => {
    const log = (level: LogLevel, message: string, fields?: LogFields): void => {
      const time = now();
      const text = formatLogEntry(time, level, options.component, message, { ...bound, ...fields });
      options.buffer.append({ time, text });
      if (options.echo !== undefined && LOG_LEVELS.indexOf(level) >= echoFrom) options.echo(text, level);
    };
    return {
      debug: (message, fields) => log('debug', message, fields),
      info: (message, fields) => log('info', message, fields),
      warn: (message, fields) => log('warn', message, fields),
      error: (message, fields) => log('error', message, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

/**
 * `{"ts":…,"level":…,"component":…,"msg":…,…fields}` on one line. Never throws: Errors become their message
 * (with the first one's stack under `stack` at level error), bigints strings, cycles "[Circular]"; undefined
 * fields are left out and a field named like a fixed key is written as `fields.<key>`.
 */
export function formatLogEntry(
  time: number,
  level: LogLevel,
  component: string,
  message: string,
  fields: LogFields,
): string {
  const entry: Record<string, unknown> = {
    ts: new Date(time).toISOString(),
    level,
    component,
    msg: message,
  };
  let stack: string | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Error && stack === undefined) stack = value.stack;
    entry[RESERVED.has(key) ? `fields.${key}` : key] = value;
  }
  if (level === 'error' && stack !== undefined && !('stack' in entry)) entry.stack = stack;
  try {
    return JSON.stringify(entry, safeReplacer());
  } catch (error) {
    const { ts, msg } = entry;
    return JSON.stringify({
      ts,
      level,
      component,
      msg,
      logError: `fields could not be written: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  // The objects being written, outermost first: `holder` is what JSON.stringify passes as `this` to children.
  const path: { holder: unknown; original: unknown }[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return value.message;
    if (typeof value !== 'object' || value === null) return value;
    while (path.length > 0 && path.at(-1)!.holder !== this) path.pop();
    if (path.some((entry) => entry.original === value)) return '[Circular]';
    const holder =
      value instanceof Map
        ? Object.fromEntries([...value].map(([k, v]) => [String(k), v]))
        : value instanceof Set
          ? [...value]
          : value;
    path.push({ holder, original: value });
    return holder;
  };
}
