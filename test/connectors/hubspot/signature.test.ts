import { createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { decodeSignedUri, signatureV1, signatureV2, signatureV3, verifyHex, verifyV3 } from '../../../src/connectors/hubspot/signature.ts';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

describe('HubSpot published signature vectors', () => {
  it('v1: SHA-256 of secret + body', () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const expected = '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de';
    expect(signatureV1(SECRET, body)).toBe(expected);
    expect(verifyHex(signatureV1(SECRET, body), expected)).toBe(true);
    expect(verifyHex(signatureV1(SECRET, `${body} `), expected)).toBe(false);
  });

  it('v2: SHA-256 of secret + method + uri + body', () => {
    expect(signatureV2(SECRET, 'GET', 'https://www.example.com/webhook_uri', '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
    expect(signatureV2(SECRET, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}')).toBe(
      '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
    );
  });
});

describe('v3 signatures', () => {
  const body = '{"example_field":"example_value"}';
  const uri = 'https://www.example.com/webhook_uri';

  it('matches a vector computed independently with Node crypto', () => {
    expect(signatureV3(SECRET, 'POST', uri, body, 1700000000000)).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  it("matches @hubspot/api-client's own v3 computation", () => {
    const ts = Date.now();
    const sdk = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: SECRET, requestBody: body, url: uri, timestamp: ts });
    expect(signatureV3(SECRET, 'POST', uri, body, ts)).toBe(sdk);
  });

  it('decodes exactly the listed characters in the URI before signing', () => {
    const encoded = 'https://x.example/webhooks/hubspot?a=b%3Ac%2Cd%40e%20f%2Fg';
    expect(decodeSignedUri(encoded)).toBe('https://x.example/webhooks/hubspot?a=b:c,d@e%20f/g');
    const ts = '1700000000000';
    const independent = createHmac('sha256', SECRET).update(`POSThttps://x.example/webhooks/hubspot?a=b:c,d@e%20f/g${body}${ts}`).digest('base64');
    expect(signatureV3(SECRET, 'POST', encoded, body, ts)).toBe(independent);
  });

  it('accepts a fresh valid signature and refuses forged, stale, future and missing ones', () => {
    const now = 1_800_000_000_000;
    const ts = String(now - 60_000);
    const signature = signatureV3(SECRET, 'POST', uri, body, ts);
    const base = { clientSecret: SECRET, method: 'POST', uri, body, signature, timestamp: ts, now };
    expect(verifyV3(base)).toEqual({ ok: true });
    expect(verifyV3({ ...base, body: `${body} ` })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyV3({ ...base, signature: signatureV3('other-secret', 'POST', uri, body, ts) })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyV3({ ...base, signature: 'not base64 at all' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyV3({ ...base, now: now + 5 * 60_000 })).toEqual({ ok: false, reason: 'stale' });
    const future = String(now + 6 * 60_000);
    expect(verifyV3({ ...base, timestamp: future, signature: signatureV3(SECRET, 'POST', uri, body, future) })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyV3({ ...base, timestamp: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyV3({ ...base, signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyV3({ ...base, timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'stale' });
  });
});
