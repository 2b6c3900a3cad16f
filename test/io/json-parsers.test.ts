import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/io/input-error.ts';
import { JsonArrayParser } from '../../src/io/json-array-parser.ts';
import { JsonLinesParser } from '../../src/io/json-lines-parser.ts';

interface Parsed {
  values: Array<{ line: number; value: unknown }>;
  malformed: Array<{ line: number; message: string }>;
}

function run(kind: 'json' | 'jsonl', chunks: readonly string[], max?: number): Parsed {
  const out: Parsed = { values: [], malformed: [] };
  const sink = {
    value: (value: unknown, line: number) => out.values.push({ line, value }),
    malformed: (line: number, message: string) => out.malformed.push({ line, message }),
  };
  const parser =
    kind === 'json'
      ? new JsonArrayParser(sink, max === undefined ? {} : { maxElementLength: max })
      : new JsonLinesParser(sink, max === undefined ? {} : { maxLineLength: max });
  for (const c of chunks) parser.feed(c);
  parser.end();
  return out;
}

function allSplits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('JsonArrayParser', () => {
  const text =
    '\uFEFF[\n  {"id": "a", "tech_stack": ["x", "y]"], "n": {"deep": [1, {"k": "}"}]}},\n' +
    '  {"id": "b\\"q\\\\", "s": "\\\\"},\n  42, "str", null, true, -1.5e3,\n  {"id": "c"}\n]\n';

  it('yields each element with the line it starts on', () => {
    const r = run('json', [text]);
    expect(r.malformed).toEqual([]);
    expect(r.values).toEqual([
      { line: 2, value: { id: 'a', tech_stack: ['x', 'y]'], n: { deep: [1, { k: '}' }] } } },
      { line: 3, value: { id: 'b"q\\', s: '\\' } },
      { line: 4, value: 42 },
      { line: 4, value: 'str' },
      { line: 4, value: null },
      { line: 4, value: true },
      { line: 4, value: -1500 },
      { line: 5, value: { id: 'c' } },
    ]);
  });

  it('gives the same result however the input is cut', () => {
    const expected = run('json', [text]);
    for (const chunks of allSplits(text)) expect(run('json', chunks)).toEqual(expected);
    expect(run('json', [...text])).toEqual(expected);
  });

  it('reports an element that is not valid JSON and reads on', () => {
    const r = run('json', ['[{"id":"a",},\n{"id":"b"}]']);
    expect(r.malformed).toEqual([{ line: 1, message: 'array element 1 is not valid JSON' }]);
    expect(r.values).toEqual([{ line: 2, value: { id: 'b' } }]);
  });

  it('accepts an empty array', () => {
    expect(run('json', [' [ ] '])).toEqual({ values: [], malformed: [] });
  });

  it.each([
    ['{"id":"a"}', /expected a JSON array/],
    ['', /empty/],
    ['[{"id":"a"} {"id":"b"}]', /expected "," or "]"/],
    ['[{"id":"a"},', /not closed/],
    ['[{"id":"a"', /not closed/],
    ['[1] x', /after the closing/],
  ])('stops on a broken array structure: %j', (input, message) => {
    expect(() => run('json', [input])).toThrow(InputError);
    expect(() => run('json', [input])).toThrow(message);
  });
});

describe('JsonLinesParser', () => {
  it('yields one value per line, skips blank lines, reports bad lines and reads on', () => {
    const text = '{"id":"a"}\r\n\n{"id":\n[1]\n{"id":"b"}';
    const expected: Parsed = {
      values: [
        { line: 1, value: { id: 'a' } },
        { line: 4, value: [1] },
        { line: 5, value: { id: 'b' } },
      ],
      malformed: [{ line: 3, message: 'not valid JSON' }],
    };
    for (const chunks of allSplits(text)) expect(run('jsonl', chunks)).toEqual(expected);
  });
});

describe('one record over the limit', () => {
  it('JSON Lines: the long line is skipped and reported, the next lines are read', () => {
    const text = `{"id":"a"}\n{"id":"${'x'.repeat(300)}"}\n{"id":"b"}\n`;
    for (const chunks of [[text], [...text], ...allSplits(text).filter((_, i) => i % 37 === 0)]) {
      const r = run('jsonl', chunks, 100);
      expect(r.values).toEqual([
        { line: 1, value: { id: 'a' } },
        { line: 3, value: { id: 'b' } },
      ]);
      expect(r.malformed).toEqual([{ line: 2, message: 'line longer than 100 characters' }]);
    }
  });

  it('JSON array: the long element is skipped by number, escapes and nesting still followed', () => {
    const text = `[{"id":"a"},\n{"id":"${'\\"]},'.repeat(100)}", "n": [[{}]]},\n{"id":"b"}]`;
    for (const chunks of [[text], [...text], ...allSplits(text).filter((_, i) => i % 41 === 0)]) {
      const r = run('json', chunks, 100);
      expect(r.values).toEqual([
        { line: 1, value: { id: 'a' } },
        { line: 3, value: { id: 'b' } },
      ]);
      expect(r.malformed).toEqual([{ line: 2, message: 'array element 2 is longer than 100 characters' }]);
    }
  });
});
