/**
 * The SOQL subset the sandbox understands: `SELECT f, … FROM Object [WHERE …] [ORDER BY f [ASC|DESC]
 * [NULLS FIRST|LAST], …] [LIMIT n] [OFFSET n]`, with AND/OR/NOT, parentheses, `= != <> < <= > >=`, `IN`,
 * `NOT IN`, `LIKE`, `INCLUDES`, string/number/boolean/null/date/datetime literals. Wide enough for every
 * query icp-sync sends; anything else is refused as MALFORMED_QUERY, as Salesforce would.
 */

export class SoqlError extends Error {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    super(message);
    this.errorCode = errorCode;
  }
}

export type Literal = string | number | boolean | null | { datetime: number };

export type Condition =
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'not'; inner: Condition }
  | { kind: 'cmp'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'in'; field: string; negate: boolean; values: Literal[] }
  | { kind: 'like'; field: string; pattern: string }
  | { kind: 'includes'; field: string; negate: boolean; values: string[] };

export interface OrderBy {
  field: string;
  desc: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: Condition;
  orderBy: OrderBy[];
  limit?: number;
  offset?: number;
}

interface Token {
  t: 'word' | 'str' | 'num' | 'dt' | 'op' | 'punct';
  v: string;
  /** A string as a LIKE pattern: `\%` and `\_` (LIKE-only escapes) kept as {@link LITERAL_MARK} + the character. */
  like?: string;
}

/** Marks a `%` or `_` escaped in a LIKE pattern: it matches itself, not as a wildcard. */
export const LITERAL_MARK = '\uE000';

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let v = '';
      let like = '';
      i += 1;
      for (;;) {
        if (i >= src.length) throw new SoqlError('MALFORMED_QUERY', 'unterminated string literal');
        const ch = src.charAt(i);
        if (ch === '\\') {
          const next = src.charAt(i + 1);
          const plain = next === 'n' ? '\n' : next === 't' ? '\t' : next;
          v += plain;
          like += next === '%' || next === '_' ? LITERAL_MARK + next : plain;
          i += 2;
        } else if (ch === "'") {
          i += 1;
          break;
        } else {
          v += ch;
          like += ch;
          i += 1;
        }
      }
      out.push({ t: 'str', v, like });
    } else if (/\d/.test(c) || (c === '-' && /\d/.test(src.charAt(i + 1)))) {
      const m = /^-?\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}))?/.exec(src.slice(i));
      if (m && m[0].length >= 10) {
        out.push({ t: 'dt', v: m[0] });
        i += m[0].length;
      } else {
        const n = /^-?\d+(\.\d+)?/.exec(src.slice(i));
        out.push({ t: 'num', v: n?.[0] ?? c });
        i += n?.[0].length ?? 1;
      }
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
      out.push({ t: 'word', v: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    } else if (/[<>!=]/.test(c)) {
      const two = src.slice(i, i + 2);
      const op = ['<=', '>=', '!=', '<>'].includes(two) ? two : c;
      out.push({ t: 'op', v: op === '<>' ? '!=' : op });
      i += op.length === 2 || two === '<>' ? 2 : 1;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c });
      i += 1;
    } else {
      throw new SoqlError('MALFORMED_QUERY', `unexpected character '${c}'`);
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  private readonly toks: Token[];
  constructor(toks: Token[]) {
    this.toks = toks;
  }
  private peek(): Token | undefined {
    return this.toks[this.pos];
  }
  private next(): Token {
    const t = this.toks[this.pos];
    if (!t) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
    this.pos += 1;
    return t;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v.toUpperCase() === w;
  }
  private expectWord(w: string): void {
    if (!this.isWord(w)) throw new SoqlError('MALFORMED_QUERY', `expected ${w} near '${this.peek()?.v ?? 'end'}'`);
    this.pos += 1;
  }
  private expectPunct(p: string): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== p) throw new SoqlError('MALFORMED_QUERY', `expected '${p}' near '${t.v}'`);
  }
  private ident(): string {
    const t = this.next();
    if (t.t !== 'word') throw new SoqlError('MALFORMED_QUERY', `expected a field name near '${t.v}'`);
    return t.v;
  }

  parse(): SoqlQuery {
    this.expectWord('SELECT');
    const fields = [this.ident()];
    while (this.peek()?.v === ',') {
      this.pos += 1;
      fields.push(this.ident());
    }
    this.expectWord('FROM');
    const object = this.ident();
    const q: SoqlQuery = { fields, object, orderBy: [] };
    if (this.isWord('WHERE')) {
      this.pos += 1;
      q.where = this.orExpr();
    }
    if (this.isWord('ORDER')) {
      this.pos += 1;
      this.expectWord('BY');
      for (;;) {
        const field = this.ident();
        let desc = false;
        if (this.isWord('ASC')) this.pos += 1;
        else if (this.isWord('DESC')) {
          this.pos += 1;
          desc = true;
        }
        let nullsLast = desc;
        if (this.isWord('NULLS')) {
          this.pos += 1;
          const w = this.ident().toUpperCase();
          if (w !== 'FIRST' && w !== 'LAST') throw new SoqlError('MALFORMED_QUERY', 'expected NULLS FIRST or NULLS LAST');
          nullsLast = w === 'LAST';
        }
        q.orderBy.push({ field, desc, nullsLast });
        if (this.peek()?.v !== ',') break;
        this.pos += 1;
      }
    }
    if (this.isWord('LIMIT')) {
      this.pos += 1;
      q.limit = this.int();
    }
    if (this.isWord('OFFSET')) {
      this.pos += 1;
      q.offset = this.int();
    }
    if (this.peek()) throw new SoqlError('MALFORMED_QUERY', `unexpected token '${this.peek()?.v}'`);
    return q;
  }

  private int(): number {
    const t = this.next();
    if (t.t !== 'num' || !/^\d+$/.test(t.v)) throw new SoqlError('MALFORMED_QUERY', `expected a number near '${t.v}'`);
    return Number(t.v);
  }

  private orExpr(): Condition {
    const parts = [this.andExpr()];
    while (this.isWord('OR')) {
      this.pos += 1;
      parts.push(this.andExpr());
    }
    return parts.length === 1 ? (parts[0] as Condition) : { kind: 'or', parts };
  }

  private andExpr(): Condition {
    const parts = [this.notExpr()];
    while (this.isWord('AND')) {
      this.pos += 1;
      parts.push(this.notExpr());
    }
    return parts.length === 1 ? (parts[0] as Condition) : { kind: 'and', parts };
  }

  private notExpr(): Condition {
    if (this.isWord('NOT')) {
      this.pos += 1;
      return { kind: 'not', inner: this.notExpr() };
    }
    if (this.peek()?.v === '(') {
      this.pos += 1;
      const inner = this.orExpr();
      this.expectPunct(')');
      return inner;
    }
    const field = this.ident();
    const t = this.peek();
    if (t?.t === 'op') {
      this.pos += 1;
      return { kind: 'cmp', field, op: t.v as '=' | '!=' | '<' | '<=' | '>' | '>=', value: this.literal() };
    }
    let negate = false;
    if (this.isWord('NOT')) {
      this.pos += 1;
      negate = true;
    }
    if (this.isWord('IN')) {
      this.pos += 1;
      return { kind: 'in', field, negate, values: this.list() };
    }
    if (this.isWord('LIKE') && !negate) {
      this.pos += 1;
      const t = this.next();
      if (t.t !== 'str') throw new SoqlError('MALFORMED_QUERY', 'LIKE needs a string');
      return { kind: 'like', field, pattern: t.like ?? t.v };
    }
    if (this.isWord('INCLUDES') || this.isWord('EXCLUDES')) {
      const excl = this.isWord('EXCLUDES');
      this.pos += 1;
      return { kind: 'includes', field, negate: excl, values: this.list().map(String) };
    }
    throw new SoqlError('MALFORMED_QUERY', `expected an operator after ${field}`);
  }

  private list(): Literal[] {
    this.expectPunct('(');
    const values = [this.literal()];
    while (this.peek()?.v === ',') {
      this.pos += 1;
      values.push(this.literal());
    }
    this.expectPunct(')');
    return values;
  }

  private literal(): Literal {
    const t = this.next();
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'dt') {
      const ms = Date.parse(t.v.length === 10 ? `${t.v}T00:00:00Z` : t.v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw new SoqlError('MALFORMED_QUERY', `invalid date/time literal ${t.v}`);
      return { datetime: ms };
    }
    if (t.t === 'word') {
      const w = t.v.toLowerCase();
      if (w === 'null') return null;
      if (w === 'true') return true;
      if (w === 'false') return false;
    }
    throw new SoqlError('MALFORMED_QUERY', `expected a value near '${t.v}'`);
  }
}

export function parseSoql(src: string): SoqlQuery {
  return new Parser(tokenize(src)).parse();
}
