/**
 * The v3 signature over the raw body bytes is exactly the one over the body's text that the route
 * computed before: same digest for valid UTF-8 bodies (hashed as they are) and for any other bytes
 * (hashed as their text, invalid sequences as U+FFFD), whatever the URI holds, lone surrogates included;
 * so verification accepts and refuses exactly the same deliveries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signatureV3, verifyV3 } from '../../../src/connectors/hubspot/signature.ts';

const codeUnits = (max: number) => fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: max }).map((units) => String.fromCharCode(...units));
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 32 }).map((s) => Buffer.from(s, 'utf8')),
  codeUnits(32).map((s) => Buffer.from(s, 'utf8')),
  fc.constantFrom(Buffer.from([0xef, 0xbb, 0xbf, 0x5b, 0x5d]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.alloc(0)),
);

describe('signatureV3 over raw bytes', () => {
  it('equals the signature over the body text, for any bytes and any URI', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(codeUnits(12), fc.webUrl()), bytes, fc.oneof(fc.integer({ min: 0 }), fc.stringMatching(/^\d{13}$/)), (secret, uri, body, ts) => {
        expect(signatureV3(secret, 'POST', uri, Buffer.from(body), ts)).toBe(signatureV3(secret, 'POST', uri, Buffer.from(body).toString('utf8'), ts));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives verifyV3 the same verdict for the bytes and for their text', () => {
    const now = 1_787_843_156_000;
    fc.assert(
      fc.property(bytes, fc.boolean(), fc.integer({ min: -400_000, max: 400_000 }), (body, signedAsText, skew) => {
        const buf = Buffer.from(body);
        const ts = String(now + skew);
        const signature = signatureV3('s', 'POST', 'https://icp.example.com/webhooks/hubspot', signedAsText ? buf.toString('utf8') : buf.toString('latin1'), ts);
        const input = { clientSecret: 's', method: 'POST', uri: 'https://icp.example.com/webhooks/hubspot', signature, timestamp: ts, now };
        expect(verifyV3({ ...input, body: buf })).toEqual(verifyV3({ ...input, body: buf.toString('utf8') }));
      }),
      { numRuns: 3000 },
    );
  });
});
