// Proves the log ring keeps the newest lines within both bounds, in order, and tells followers of new lines and of the end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, LogBuffer, type LogLine } from './log-buffer.ts';

const line = (time: number, text = `line ${time}`): LogLine => ({ time, text });
const texts = (buffer: LogBuffer): string[] => buffer.lines().map((l) => l.text);

describe('LogBuffer', () => {
  test('defaults to 10,000 lines and 4 MiB', () => {
    const buffer = new LogBuffer();
    assert.equal(buffer.maxLines, DEFAULT_MAX_LINES, 'line bound');
    assert.equal(DEFAULT_MAX_LINES, 10_000, 'ten thousand lines');
    assert.equal(buffer.maxBytes, DEFAULT_MAX_BYTES, 'byte bound');
    assert.equal(DEFAULT_MAX_BYTES, 4 * 1024 * 1024, 'four MiB');
  });

  test('returns lines oldest first and drops the oldest past the line bound', () => {
    const buffer = new LogBuffer({ maxLines: 3 });
    for (let i = 1; i <= 5; i++) buffer.append(line(i));
    assert.deepEqual(texts(buffer), ['line 3', 'line 4', 'line 5'], 'the newest three, in order');
    assert.equal(buffer.size, 3, 'size');
  });

  test('drops the oldest lines past the byte bound, counting a newline per line', () => {
    const buffer = new LogBuffer({ maxBytes: 10 });
    buffer.append(line(1, 'aaaa'));
    buffer.append(line(2, 'bbbb'));
    assert.equal(buffer.bytes, 10, 'two lines of 4 bytes and a newline each fill it');
    buffer.append(line(3, 'c'));
    assert.deepEqual(texts(buffer), ['bbbb', 'c'], 'the first line made room');
    assert.equal(buffer.bytes, 7, 'bytes after the drop');
  });

  test('cuts a line longer than the byte bound without splitting a character', () => {
    const buffer = new LogBuffer({ maxBytes: 6 });
    buffer.append(line(1, 'old'));
    buffer.append(line(2, 'ab€cd'));
    assert.deepEqual(texts(buffer), ['ab€'], 'only the cut line, 5 bytes of text');
    buffer.append(line(3, 'a€€'));
    assert.deepEqual(texts(buffer), ['a€'], 'the second euro sign would need 7 bytes');
  });

  test('followers get each new line until they unsubscribe', () => {
    const buffer = new LogBuffer();
    buffer.append(line(1));
    const seen: string[] = [];
    let ended = 0;
    const stop = buffer.subscribe({ line: (l) => seen.push(l.text), end: () => ended++ });
    buffer.append(line(2));
    buffer.append(line(3));
    stop();
    buffer.append(line(4));
    assert.deepEqual(seen, ['line 2', 'line 3'], 'only lines appended while subscribed');
    assert.equal(ended, 0, 'unsubscribing is not an end');
  });

  test('close ends every follower once and later subscribers at once', () => {
    const buffer = new LogBuffer();
    let ended = 0;
    buffer.subscribe({ line: () => {}, end: () => ended++ });
    buffer.subscribe({ line: () => {}, end: () => ended++ });
    buffer.close();
    buffer.close();
    assert.equal(ended, 2, 'each follower ended once');
    assert.equal(buffer.closed, true, 'closed');
    buffer.subscribe({ line: () => {}, end: () => ended++ });
    assert.equal(ended, 3, 'a follower of a closed buffer ends at once');
    buffer.append(line(9));
    assert.deepEqual(texts(buffer), ['line 9'], 'lines after close are still kept');
  });

  test('a follower may unsubscribe while being told of a line', () => {
    const buffer = new LogBuffer();
    const seen: string[] = [];
    const stop = buffer.subscribe({
      line: (l) => {
        seen.push(l.text);
        stop();
      },
      end: () => {},
    });
    buffer.subscribe({ line: (l) => seen.push(`other ${l.text}`), end: () => {} });
    buffer.append(line(1));
    buffer.append(line(2));
    assert.deepEqual(seen, ['line 1', 'other line 1', 'other line 2'], 'the other follower is unaffected');
  });

  test('keeps the longest suffix of appended lines that fits both bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 40 }),
        fc.array(fc.string({ maxLength: 12, unit: 'binary' }), { maxLength: 30 }),
        (maxLines, maxBytes, appended) => {
          const buffer = new LogBuffer({ maxLines, maxBytes });
          for (const [i, text] of appended.entries()) buffer.append(line(i, text));
          const kept = buffer.lines();
          const bytes = kept.reduce((sum, l) => sum + Buffer.byteLength(l.text) + 1, 0);
          assert.ok(kept.length <= maxLines, 'line bound holds');
          assert.ok(bytes <= maxBytes, 'byte bound holds');
          assert.equal(buffer.bytes, bytes, 'byte count is exact');
          assert.deepEqual(
            kept.map((l) => l.time),
            appended.map((_, i) => i).slice(appended.length - kept.length),
            'a suffix of what was appended, oldest first',
          );
          if (appended.length > 0) {
            assert.ok(kept.length >= 1, 'the newest line is always kept');
            const earlier = appended[appended.length - kept.length - 1];
            if (earlier !== undefined && kept.length < maxLines) {
              assert.ok(
                bytes + Buffer.byteLength(earlier) + 1 > maxBytes,
                'the next older line would not have fit',
              );
            }
          }
        },
      ),
    );
  });
});
