import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField } from '../../src/io/csv-field.ts';
import { CsvParser } from '../../src/io/csv-parser.ts';
import { InputError } from '../../src/io/input-error.ts';

interface Parsed {
  records: Array<{ line: number; fields: string[] }>;
  malformed: Array<{ line: number; message: string }>;
}

function parse(chunks: readonly string[], maxRecordLength?: number): Parsed {
  const out: Parsed = { records: [], malformed: [] };
  const parser = new CsvParser(
    {
      record: (fields, line) => out.records.push({ line, fields }),
      malformed: (line, message) => out.malformed.push({ line, message }),
    },
    maxRecordLength === undefined ? {} : { maxRecordLength },
  );
  for (const c of chunks) parser.feed(c);
  parser.end();
  return out;
}

/** Every way of cutting `text` in two. */
function allSplits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('CsvParser', () => {
  it('reads plain records with their line numbers, skipping blank lines', () => {
    const r = parse(['id,name\n1,Acme\n\n2,Globex\n']);
    expect(r.records).toEqual([
      { line: 1, fields: ['id', 'name'] },
      { line: 2, fields: ['1', 'Acme'] },
      { line: 4, fields: ['2', 'Globex'] },
    ]);
  });

  it('handles CRLF line ends and a last line without a line break', () => {
    expect(parse(['a,b\r\n1,2\r\n3,4']).records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reads quoted fields with commas, escaped quotes and line breaks, counting lines', () => {
    const text = 'id,note\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\r\nlines\nthree"\r\n4,""\r\n5,end\r\n';
    const r = parse([text]);
    expect(r.records).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'a, b'] },
      { line: 3, fields: ['2', 'say "hi"'] },
      { line: 4, fields: ['3', 'two\r\nlines\nthree'] },
      { line: 7, fields: ['4', ''] },
      { line: 8, fields: ['5', 'end'] },
    ]);
    expect(r.malformed).toEqual([]);
  });

  it('gives the same records however the input is cut into chunks', () => {
    const text = '\uFEFFid,"note"\r\n1,"a ""q"", b"\r\n2,"x\ny",z\n3,plain\n"4",""""\n5,"last"';
    const expected = parse([text]);
    expect(expected.records[0]?.fields).toEqual(['id', 'note']);
    for (const chunks of allSplits(text)) expect(parse(chunks)).toEqual(expected);
    expect(parse([...text])).toEqual(expected);
  });

  it('keeps only the wanted columns of unquoted records, with the exact field count', () => {
    const records: string[][] = [];
    const parser = new CsvParser({ record: (fields) => records.push(fields), malformed: () => undefined });
    parser.feed('a,b,c\n');
    parser.keepOnly([true, false, true]);
    parser.feed('1,2,3\r\n4,5\n6,7,8,9\n\n,,\n"q",x,y\nlast,l2,');
    parser.end();
    expect(records).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['4', ''],
      ['6', '', '8', '9'],
      ['', '', ''],
      ['q', 'x', 'y'],
      ['last', '', ''],
    ]);
  });

  it('strips a byte order mark and keeps a quote inside an unquoted field', () => {
    expect(parse(['\uFEFFa,b\n1,5" screen\n']).records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '5" screen'],
    ]);
  });

  it('reports text after a closing quote and an unterminated quote, and reads on', () => {
    const r = parse(['a,b\n1,"x"y\n2,ok\n3,"open\n']);
    expect(r.records.map((x) => x.fields)).toEqual([
      ['a', 'b'],
      ['2', 'ok'],
    ]);
    expect(r.malformed).toEqual([
      { line: 2, message: 'unexpected character after the closing quote of field 2' },
      { line: 4, message: 'unterminated quoted field 2 at the end of the input' },
    ]);
  });

  it('stops on a record longer than the limit (an unbalanced quote swallowing the file)', () => {
    const parser = new CsvParser({ record: () => undefined, malformed: () => undefined }, { maxRecordLength: 100 });
    parser.feed('a,b\n1,"never closed');
    expect(() => parser.feed('x'.repeat(200))).toThrow(InputError);
  });

  it('skips and reports one unquoted line over the limit, then reads on, however the input is cut', () => {
    const text = `a,b\n1,2\n${'x'.repeat(300)},y\n3,4\n`;
    for (const chunks of [[text], [...text], allSplits(text)[150] ?? [text]]) {
      const r = parse(chunks, 100);
      expect(r.records.map((x) => [x.line, ...x.fields])).toEqual([
        [1, 'a', 'b'],
        [2, '1', '2'],
        [4, '3', '4'],
      ]);
      expect(r.malformed).toEqual([{ line: 3, message: 'record longer than 100 characters' }]);
    }
  });

  it('round-trips any fields written with csvField', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ';', ' ', 'z') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.nat(50), (rows, cut) => {
        const lines = rows.map((r) => `${r.map(csvField).join(',')}\r\n`);
        const text = lines.join('');
        const at = Math.min(cut, text.length);
        const got = parse([text.slice(0, at), text.slice(at)]);
        expect(got.malformed).toEqual([]);
        expect(got.records.map((r) => r.fields)).toEqual(rows);
        // Each record starts on the line after all the line feeds before it.
        const starts = lines.map((_, i) => 1 + lines.slice(0, i).join('').split('\n').length - 1);
        expect(got.records.map((r) => r.line)).toEqual(starts);
      }),
    );
  });
});
