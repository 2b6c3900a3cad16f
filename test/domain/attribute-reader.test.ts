import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAttributeReader } from '../../src/domain/attribute-reader.ts';

describe('compileAttributeReader', () => {
  it('reads each name like attrs[name], in the order given, including repeated names', () => {
    const read = compileAttributeReader(['industry', 'employees', 'industry', 'absent']);
    const out: unknown[] = [];
    read({ industry: 'Software', employees: '1 200' }, out);
    expect(out).toEqual(['Software', '1 200', 'Software', undefined]);
  });

  it('reads inherited properties and calls getters once per name, in order', () => {
    const calls: string[] = [];
    const proto = { inherited: 'from proto' };
    const attrs = Object.create(proto) as Record<string, unknown>;
    Object.defineProperty(attrs, 'b', { get: () => (calls.push('b'), 2), enumerable: true });
    Object.defineProperty(attrs, 'a', { get: () => (calls.push('a'), 1), enumerable: true });
    const out: unknown[] = [];
    compileAttributeReader(['a', 'b', 'inherited'])(attrs, out);
    expect(out).toEqual([1, 2, 'from proto']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('treats any name as inert data: quotes, backslashes, line separators, code-like text', () => {
    const names = ['a"b', "c'd", 'e\\f', 'g\nh', 'i\u2028j', '"]; throw new Error("x"); //', '${x}', '__proto__', 'constructor', ''];
    const attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    names.forEach((name, k) => {
      attrs[name] = k;
    });
    const out: unknown[] = [];
    compileAttributeReader(names)(attrs, out);
    expect(out).toEqual(names.map((_, k) => k));
  });

  it('gives attrs[name] for random names and objects', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 8 }), fc.dictionary(fc.string(), fc.anything()), (names, attrs) => {
        const out: unknown[] = [];
        compileAttributeReader(names)(attrs, out);
        expect(out).toStrictEqual(names.map((name) => attrs[name]));
      }),
    );
  });
});
