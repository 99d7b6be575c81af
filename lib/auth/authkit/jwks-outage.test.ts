/**
 * Case 13 at the unit level: how authkit's JWKS client (jose 5's
 * createRemoteJWKSet with authkit's defaults) behaves when the JWKS endpoint is
 * down, slow or answers garbage. The e2e suite cannot force a fetch at will
 * (jose's 30 s cooldown), so the bound and fail-closed behaviour are pinned here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
// authkit's own copy (jose 5), exactly what verifies access tokens in the proxy.
import type * as JoseTypes from '../../../node_modules/@workos-inc/authkit-nextjs/node_modules/jose/dist/types/index.d.ts';

const AUTHKIT_JOSE: string = '../../../node_modules/@workos-inc/authkit-nextjs/node_modules/jose/dist/node/esm/index.js';
const { SignJWT, createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } = (await import(AUTHKIT_JOSE)) as typeof JoseTypes;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function jwksServer(handler: (respond: (status: number, body: string) => void, destroy: () => void) => void): Promise<string> {
  server = createServer((request, response) =>
    handler(
      (status, body) => response.writeHead(status, { 'content-type': 'application/json' }).end(body),
      () => request.socket.destroy(),
    ),
  );
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso/jwks/client_x`;
}

async function token() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const jwt = await new SignJWT({ sub: 'user_1' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('5m').sign(privateKey);
  return { jwt, keySet: JSON.stringify({ keys: [jwk] }) };
}

describe("authkit's JWKS client when the endpoint misbehaves", () => {
  it.each([
    ['down (connection dropped)', 'drop'],
    ['a 503', 'status'],
    ['garbage', 'garbage'],
    ['an empty key set', 'empty'],
  ])('fails closed on %s, then recovers without a new token', async (_name, mode) => {
    const { jwt, keySet } = await token();
    let healthy = false;
    const url = await jwksServer((respond, destroy) => {
      if (healthy) return respond(200, keySet);
      if (mode === 'drop') return destroy();
      if (mode === 'status') return respond(503, '{"message":"down"}');
      if (mode === 'garbage') return respond(200, 'not json');
      return respond(200, '{"keys":[]}');
    });
    // authkit's options: none (10 min cache, 30 s cooldown, 5 s timeout).
    const jwks = createRemoteJWKSet(new URL(url));
    await expect(jwtVerify(jwt, jwks)).rejects.toThrow();
    healthy = true;
    // A failed fetch is not cached as a key set: the next verification fetches again.
    if (mode === 'empty') return; // a 200 with no keys starts the cooldown instead (see docs/security.md)
    await expect(jwtVerify(jwt, jwks)).resolves.toMatchObject({ payload: { sub: 'user_1' } });
  });

  it('gives up on a hanging endpoint after about 5 s (jose default), failing closed', async () => {
    const { jwt } = await token();
    const url = await jwksServer(() => undefined); // never answers
    const jwks = createRemoteJWKSet(new URL(url));
    const started = Date.now();
    await expect(jwtVerify(jwt, jwks)).rejects.toThrow(/timed out|timeout/i);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4_500);
    expect(elapsed).toBeLessThan(6_500);
  }, 10_000);
});
