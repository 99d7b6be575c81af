import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { PROXY_PROOF_MAX_AGE_MS, createProxyProof, stripForwardedAuthHeaders, verifyProxyProof } from './session-header';

// The key derivation, counted (it runs once per cookie password).
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, hkdfSync: vi.fn(original.hkdfSync) };
});

const PASSWORD = 'unit-test-cookie-password-0123456789abcdef';
const NOW = 1_800_000_000_000;
const forwarded = { seal: 'Fe26.2*1*sealed-session', returnTo: '/dashboard?tab=2' };

describe('proxy proof', () => {
  it('verifies what the proxy forwarded', () => {
    const proof = createProxyProof(forwarded, PASSWORD, NOW);
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW + 10)).toEqual(forwarded);
  });

  it('covers a signed-out request (no seal) too, and a seal added later is refused', () => {
    const proof = createProxyProof({ seal: undefined, returnTo: '/' }, PASSWORD, NOW);
    expect(verifyProxyProof(proof, { seal: null, returnTo: '/' }, PASSWORD, NOW)).toEqual({ seal: undefined, returnTo: '/' });
    expect(verifyProxyProof(proof, { seal: forwarded.seal, returnTo: '/' }, PASSWORD, NOW)).toBeNull();
  });

  it('refuses a changed seal, return path, password, or a missing proof', () => {
    const proof = createProxyProof(forwarded, PASSWORD, NOW);
    expect(verifyProxyProof(proof, { ...forwarded, seal: `${forwarded.seal}x` }, PASSWORD, NOW)).toBeNull();
    expect(verifyProxyProof(proof, { ...forwarded, returnTo: '/dashboard' }, PASSWORD, NOW)).toBeNull();
    expect(verifyProxyProof(proof, forwarded, `${PASSWORD}-other`, NOW)).toBeNull();
    expect(verifyProxyProof(null, forwarded, PASSWORD, NOW)).toBeNull();
    expect(verifyProxyProof(proof, { ...forwarded, returnTo: null }, PASSWORD, NOW)).toBeNull();
  });

  it('refuses a proof older than a minute (60,000 ms is the last age accepted), or from the future (5 s of skew)', () => {
    expect(PROXY_PROOF_MAX_AGE_MS).toBe(60_000);
    const proof = createProxyProof(forwarded, PASSWORD, NOW);
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW + 60_000)).toEqual(forwarded);
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW + 60_001)).toBeNull();
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW - 5_000)).toEqual(forwarded);
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW - 5_001)).toBeNull();
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW - 10_000)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['garbage', 'garbage'],
    ['wrong version', 'v2.1800000000000.bm9uY2U.bWFj'],
    ['bad base64 mac', 'v1.1800000000000.bm9uY2U.%%%'],
    ['impossible base64 length', 'v1.1800000000000.bm9uY2U.a'],
    ['extra part', 'v1.1800000000000.bm9uY2U.bWFj.x'],
    ['non-numeric time', 'v1.soon.bm9uY2U.bWFj'],
  ])('refuses a malformed proof (%s) without throwing', (_label, proof) => {
    expect(verifyProxyProof(proof, forwarded, PASSWORD, NOW)).toBeNull();
  });

  it('is an HMAC-SHA-256, keyed by HKDF from the cookie password, over the version, time, nonce, return path and seal', () => {
    // A password no other test used: its key is derived here (keys are kept per password).
    const password = `${PASSWORD}-derived-here`;
    const [version, issuedAt, nonce, sent] = createProxyProof(forwarded, password, NOW).split('.');
    const key = Buffer.from(hkdfSync('sha256', password, 'authkit-starter', 'proxy-proof v1', 32));
    const expected = createHmac('sha256', key).update(`v1\n${NOW}\n${nonce}\n${forwarded.returnTo}\n${forwarded.seal}`).digest('base64url');
    expect([version, issuedAt, sent]).toEqual(['v1', String(NOW), expected]);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('derives the key once per cookie password, not per proof', () => {
    const password = `${PASSWORD}-derived-once`;
    const derivations = () => vi.mocked(hkdfSync).mock.calls.filter(([, secret]) => secret === password).length;
    const proof = createProxyProof(forwarded, password, NOW);
    expect(verifyProxyProof(proof, forwarded, password, NOW)).toEqual(forwarded);
    createProxyProof(forwarded, password, NOW);
    expect(derivations()).toBe(1);
  });

  it('refuses a valid proof with another version, an extra part, or a time that is not plain digits', () => {
    const proof = createProxyProof(forwarded, PASSWORD, NOW);
    expect(verifyProxyProof(proof.replace(/^v1\./, 'v2.'), forwarded, PASSWORD, NOW)).toBeNull();
    expect(verifyProxyProof(`${proof}.extra`, forwarded, PASSWORD, NOW)).toBeNull();
    // '+1800000000000' is the same number, signed as such: only the digits form is accepted.
    const [, , nonce] = proof.split('.');
    const key = Buffer.from(hkdfSync('sha256', PASSWORD, 'authkit-starter', 'proxy-proof v1', 32));
    const signed = (issuedAt: string) =>
      `v1.${issuedAt}.${nonce}.${createHmac('sha256', key).update(`v1\n${issuedAt}\n${nonce}\n${forwarded.returnTo}\n${forwarded.seal}`).digest('base64url')}`;
    expect(verifyProxyProof(signed(String(NOW)), forwarded, PASSWORD, NOW)).toEqual(forwarded);
    expect(verifyProxyProof(signed(`+${NOW}`), forwarded, PASSWORD, NOW)).toBeNull();
    expect(verifyProxyProof(signed(`${NOW}x`), forwarded, PASSWORD, NOW)).toBeNull();
    // The MAC is exactly 43 base64url characters: nothing before or after it.
    const [, , , mac] = signed(String(NOW)).split('.');
    expect(verifyProxyProof(`v1.${NOW}.${nonce}.!${mac}`, forwarded, PASSWORD, NOW)).toBeNull();
    expect(verifyProxyProof(`v1.${NOW}.${nonce}.${mac}!`, forwarded, PASSWORD, NOW)).toBeNull();
  });

  it('a proof with another timestamp spliced in is refused (the timestamp is signed)', () => {
    const [version, , nonce, mac] = createProxyProof(forwarded, PASSWORD, NOW).split('.');
    expect(verifyProxyProof(`${version}.${NOW + 30_000}.${nonce}.${mac}`, forwarded, PASSWORD, NOW + 30_000)).toBeNull();
  });

  it('two proofs for the same values differ (random nonce)', () => {
    expect(createProxyProof(forwarded, PASSWORD, NOW)).not.toBe(createProxyProof(forwarded, PASSWORD, NOW));
  });
});

describe('stripForwardedAuthHeaders', () => {
  it('removes every header that carries forwarded auth state, and nothing else', () => {
    const headers = new Headers({
      'x-workos-middleware': 'true',
      'x-workos-session': 'sealed',
      'X-WorkOS-Anything': 'x',
      'x-url': 'http://evil.example/',
      'x-redirect-uri': 'http://evil.example/cb',
      'x-sign-up-paths': '/',
      'x-auth-proxy-proof': 'v1.1.2.3',
      'x-auth-return-to': '/x',
      accept: 'text/html',
      cookie: 'a=b',
    });
    stripForwardedAuthHeaders(headers);
    expect([...headers.keys()]).toEqual(['accept', 'cookie']);
  });
});
