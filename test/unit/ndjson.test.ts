// NDJSON bodies are split the same way whichever path decodes them: a body that is ASCII or
// valid UTF-8 as a whole is decoded once and split as text; a body with invalid bytes is
// decoded line by line. The same lines (CRLF, blank lines, Chinese text, limits) give the
// same result both ways, and an invalid line only fails itself.
import { describe, expect, it } from 'vitest';
import { decodeNdjson } from '../../ingest/src/core/ndjson.js';

const limits = { maxLineBytes: 64, maxBatchLines: 5 };
const bad = Buffer.from([0x7b, 0xff, 0x7d]); // "{", an invalid byte, "}"

describe('decodeNdjson', () => {
  const cases: [string, string[]][] = [
    ['ASCII', ['{"a":1}', '', '  \t', '{"b":2}\r', '{"c":"x y"}']],
    ['UTF-8', ['{"name":"王芳"}', '', '{"team":"热线一组"}\r', '   ', '{"e":"é"}']],
    [
      'limits',
      [
        '{"x":"' + 'y'.repeat(70) + '"}',
        '{"cn":"' + '话'.repeat(20) + '"}',
        '{"cn":"' + '话'.repeat(18) + '"}',
        '1',
        '2',
        '3',
        '4',
      ],
    ],
  ];
  it.each(cases)('%s lines: the same result whole-body and line by line', (_name, lines) => {
    const text = lines.join('\n');
    const whole = decodeNdjson(Buffer.from(text), limits);
    // The same lines after one invalid line take the line-by-line path.
    const mixed = decodeNdjson(Buffer.concat([bad, Buffer.from('\n' + text)]), limits);
    expect(mixed[0]).toEqual({ line: 1, error: 'line is not valid UTF-8', raw: '{\uFFFD}' });
    const shifted = mixed.slice(1).map((d) => ({ ...d, line: d.line - 1 }));
    // The invalid line counts toward the batch limit, so compare within the limit.
    const within = (ds: typeof whole) =>
      ds.filter((d) => !('error' in d && d.error.startsWith('batch')));
    expect(within(shifted).slice(0, limits.maxBatchLines - 1)).toEqual(
      within(whole).slice(0, limits.maxBatchLines - 1),
    );
    expect(whole.map((d) => d.line)).toEqual(
      lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1])),
    );
  });

  it('measures a line in bytes, not characters, and counts blank lines without returning them', () => {
    const out = decodeNdjson(
      Buffer.from(
        [
          '{"cn":"' + '话'.repeat(20) + '"}',
          '',
          '{"cn":"' + '话'.repeat(18) + '"}',
          'a',
          'b',
          'c',
          'd',
        ].join('\r\n'),
      ),
      limits,
    );
    expect(out[0]).toMatchObject({
      line: 1,
      error: 'line is 69 bytes, longer than the limit of 64 bytes',
    });
    expect(out[1]).toEqual({ line: 3, text: '{"cn":"' + '话'.repeat(18) + '"}' });
    expect(out.slice(2).map((d) => ('text' in d ? d.text : d.error))).toEqual([
      'a',
      'b',
      'c',
      'batch has more than 5 lines; send the rest in another batch',
    ]);
  });

  it('takes a plain Uint8Array as well as a Buffer', () => {
    const u = new Uint8Array(Buffer.from('{"a":1}\n{"b":"王"}'));
    expect(decodeNdjson(u, limits)).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":"王"}' },
    ]);
  });
});
