import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../src/domain/types.ts';
import { cellValue, createCsvRowReader } from '../../src/io/csv-rows.ts';
import { formatFromPath, sniffFormat } from '../../src/io/input-format.ts';
import { InputError } from '../../src/io/input-error.ts';
import { createJsonRowReader } from '../../src/io/json-rows.ts';
import type { ChunkReader, RowSink } from '../../src/io/row-sink.ts';

interface Collected {
  rows: Array<{ id: string; attrs: Attributes; line: number }>;
  skipped: string[];
  notes: string[];
}

function collect(make: (sink: RowSink) => ChunkReader, text: string): Collected {
  const out: Collected = { rows: [], skipped: [], notes: [] };
  const reader = make({
    row: (id, attrs, line) => out.rows.push({ id, attrs, line }),
    skip: (line, message) => out.skipped.push(`line ${line}: ${message}`),
    note: (message) => out.notes.push(message),
  });
  reader.feed(text);
  reader.end();
  return out;
}

const options = { idColumn: 'id', attributes: ['industry', 'employees', 'tech_stack', 'country'] };

describe('CSV rows', () => {
  it('keys cells by attribute, splits ";" lists and reports rows it cannot use', () => {
    const text = [
      'id,name,industry,employees,tech_stack',
      'a1,Acme,Software,"1 200","HubSpot; Salesforce;"',
      ',NoId,Software,3,',
      'a3,Short,Software',
      '  ,Blank,x,1,y',
      'a5,"Dupont, SAS",Conseil,,',
    ].join('\n');
    const r = collect((sink) => createCsvRowReader(options, sink), text);
    expect(r.rows).toEqual([
      { id: 'a1', line: 2, attrs: { industry: 'Software', employees: '1 200', tech_stack: ['HubSpot', 'Salesforce'] } },
      { id: 'a5', line: 6, attrs: { industry: 'Conseil', employees: '', tech_stack: '' } },
    ]);
    expect(r.skipped).toEqual([
      'line 3: no value in id column "id" — skipped',
      'line 4: 3 fields, the header has 5 — skipped',
      'line 5: no value in id column "id" — skipped',
    ]);
    expect(r.notes).toEqual(['no column for attribute(s) country: every row counts them as missing']);
  });

  it('refuses a header without the id column, with a hint for ";"-separated files', () => {
    expect(() => collect((sink) => createCsvRowReader(options, sink), 'key,industry\nx,y\n')).toThrow(
      /no column "id" in the CSV header — use --id-column .*columns: key, industry/,
    );
    expect(() => collect((sink) => createCsvRowReader(options, sink), 'id;industry\nx;y\n')).toThrow(/separated by ","/);
    expect(() => collect((sink) => createCsvRowReader(options, sink), 'id,a,a\n')).toThrow(/column "a" twice/);
    expect(() => collect((sink) => createCsvRowReader(options, sink), '')).toThrow(InputError);
    expect(() => collect((sink) => createCsvRowReader(options, sink), 'id,industry\rx,y\r')).toThrow(/lone carriage return/);
  });

  it('reads another id column', () => {
    const r = collect((sink) => createCsvRowReader({ ...options, idColumn: 'siren' }, sink), 'siren,industry\n552100554,Auto\n');
    expect(r.rows.map((x) => x.id)).toEqual(['552100554']);
  });

  it('turns a cell into a list only when it holds ";"', () => {
    expect(cellValue('Software')).toBe('Software');
    expect(cellValue(' a ; ;b ')).toEqual(['a', 'b']);
    expect(cellValue(';')).toEqual([]);
  });
});

describe('JSON rows', () => {
  it('passes objects through and reports non-objects and missing ids, by element number in a one-line array', () => {
    const text = '[{"id":"a","employees":250},{"id":7,"industry":"x"},{"name":"no id"},{"id":"  "},{"id":true},[1],"s"]';
    const r = collect((sink) => createJsonRowReader('json', options, sink), text);
    expect(r.rows).toEqual([
      { id: 'a', line: 1, attrs: { id: 'a', employees: 250 } },
      { id: '7', line: 1, attrs: { id: 7, industry: 'x' } },
    ]);
    expect(r.skipped).toEqual([
      'line 1: array element 3: no value in id column "id" — skipped',
      'line 1: array element 4: no value in id column "id" — skipped',
      'line 1: array element 5: not a string or number in id column "id" — skipped',
      'line 1: array element 6 is an array, not an object — skipped',
      'line 1: array element 7 is a string, not an object — skipped',
    ]);
  });

  it('skips a row whose value nests too deep, without a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r = collect((sink) => createJsonRowReader('jsonl', options, sink), `{"id":"a","industry":${deep}}\n{"id":"b","industry":[["ok"]]}\n`);
    expect(r.rows.map((x) => x.id)).toEqual(['b']);
    expect(r.skipped).toEqual(['line 1: value of "industry" is nested more than 32 levels deep — skipped']);
  });

  it('reports bad JSON Lines with their line number', () => {
    const r = collect((sink) => createJsonRowReader('jsonl', options, sink), '{"id":"a"}\n{oops\n42\n{"id":"b"}\n');
    expect(r.rows.map((x) => [x.id, x.line])).toEqual([
      ['a', 1],
      ['b', 4],
    ]);
    expect(r.skipped).toEqual(['line 2: not valid JSON — skipped', 'line 3: line is a number, not an object — skipped']);
  });
});

describe('input format', () => {
  it('comes from the extension', () => {
    expect(formatFromPath('a/b.CSV')).toBe('csv');
    expect(formatFromPath('x.json')).toBe('json');
    expect(formatFromPath('x.jsonl')).toBe('jsonl');
    expect(formatFromPath('x.ndjson')).toBe('jsonl');
    expect(formatFromPath('x.txt')).toBeUndefined();
    expect(formatFromPath('dir.csv/file')).toBeUndefined();
  });

  it('is sniffed from the first character otherwise', () => {
    expect(sniffFormat('\uFEFF\n  [{')).toBe('json');
    expect(sniffFormat('{"id":1}')).toBe('jsonl');
    expect(sniffFormat('id,name')).toBe('csv');
    expect(sniffFormat('')).toBe('csv');
  });
});
