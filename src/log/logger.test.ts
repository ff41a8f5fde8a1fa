// Proves every log entry is one JSON line with the fixed keys first, whatever fields a caller passes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogBuffer } from './log-buffer.ts';
import { createLogger, type LogLevel } from './logger.ts';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0, 123);

function setup(minLevel?: LogLevel) {
  const buffer = new LogBuffer();
  const echoed: [string, LogLevel][] = [];
  const logger = createLogger({
    component: 'apiserver',
    buffer,
    now: () => T0,
    echo: (text, level) => echoed.push([text, level]),
    ...(minLevel === undefined ? {} : { minLevel }),
  });
  const entries = () => buffer.lines().map((l) => JSON.parse(l.text) as Record<string, unknown>);
  return { buffer, logger, echoed, entries };
}

describe('createLogger', () => {
  test('writes one JSON line with ts, level, component and msg first', () => {
    const { buffer, logger } = setup();
    logger.info('listening', { port: 6443, undefinedField: undefined });
    const [entry] = buffer.lines();
    assert.equal(entry?.time, T0, 'the line carries the clock time');
    assert.equal(
      entry?.text,
      '{"ts":"2026-11-24T10:00:00.123Z","level":"info","component":"apiserver","msg":"listening","port":6443}',
      'exact line, undefined field omitted',
    );
  });

  test('a message with newlines stays on one line', () => {
    const { buffer, logger } = setup();
    logger.warn('two\nlines');
    assert.ok(!buffer.lines()[0]!.text.includes('\n'), 'no raw newline');
  });

  test('child loggers add their fields; the call’s own fields win', () => {
    const { logger, entries } = setup();
    logger.child({ controller: 'subnet', key: 'a' }).child({ worker: 1 }).info('reconciled', { key: 'b' });
    const [entry] = entries();
    assert.equal(entry?.controller, 'subnet', 'bound field');
    assert.equal(entry?.worker, 1, 'nested child field');
    assert.equal(entry?.key, 'b', 'call field wins');
  });

  test('errors are their message, with the stack only at level error', () => {
    const { logger, entries } = setup();
    const failure = new Error('disk full');
    logger.warn('retrying', { error: failure });
    logger.error('gave up', { error: failure });
    const [warn, error] = entries();
    assert.equal(warn?.error, 'disk full', 'warn: message');
    assert.equal(warn?.stack, undefined, 'warn: no stack');
    assert.equal(error?.error, 'disk full', 'error: message');
    assert.equal(error?.stack, failure.stack, 'error: stack');
  });

  test('never throws on cycles, bigints, Maps, Sets or a failing toJSON', () => {
    const { logger, entries } = setup();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const shared = { n: 1 };
    const map = new Map<string, unknown>([['k', 1n]]);
    map.set('self', map);
    logger.info('odd', { cyclic, big: 2n ** 70n, pair: [shared, shared], map, set: new Set([1, 2]) });
    logger.info('bad', {
      bad: {
        toJSON: () => {
          throw new Error('nope');
        },
      },
    });
    const [odd, bad] = entries();
    assert.deepEqual(odd?.cyclic, { name: 'a', self: '[Circular]' }, 'cycle cut');
    assert.equal(odd?.big, '1180591620717411303424', 'bigint as a string');
    assert.deepEqual(odd?.pair, [{ n: 1 }, { n: 1 }], 'a shared object is not a cycle');
    assert.deepEqual(odd?.map, { k: '1', self: '[Circular]' }, 'map as an object, its cycle cut');
    assert.deepEqual(odd?.set, [1, 2], 'set as an array');
    assert.equal(bad?.msg, 'bad', 'the entry survives');
    assert.match(String(bad?.logError), /nope/, 'says why the fields are missing');
  });

  test('fields named like the fixed keys do not replace them', () => {
    const { entries, logger } = setup();
    logger.info('real', { msg: 'fake', level: 'error' });
    const [entry] = entries();
    assert.equal(entry?.msg, 'real', 'msg kept');
    assert.equal(entry?.level, 'info', 'level kept');
    assert.equal(entry?.['fields.msg'], 'fake', 'the field is kept under another name');
  });

  test('echo gets lines at or above minLevel; the buffer keeps every level', () => {
    const { buffer, logger, echoed } = setup('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.equal(buffer.size, 4, 'all four buffered');
    assert.deepEqual(
      echoed.map(([, level]) => level),
      ['warn', 'error'],
      'warn and error echoed',
    );
    assert.equal(echoed[0]?.[0], buffer.lines()[2]?.text, 'echo gets the same line');
  });

  test('minLevel defaults to info', () => {
    const { logger, echoed } = setup();
    logger.debug('d');
    logger.info('i');
    assert.deepEqual(
      echoed.map(([, level]) => level),
      ['info'],
      'debug not echoed',
    );
  });
});
