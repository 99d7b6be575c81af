import { sealData } from 'iron-session';
import { describe, expect, it } from 'vitest';
import { EPOCH, TEST_ENV, httpsScope } from '../../../test/auth-config';
import {
  MAX_PENDING_SIGN_INS,
  isVerifierCookie,
  lightVerifierValue,
  pruneVerifierCookies,
  restoreVerifierForState,
  verifierMatchesState,
  verifiersToExpire,
} from './verifier-cookies';

describe('isVerifierCookie', () => {
  it.each(['wos-auth-verifier', 'wos-auth-verifier-1a2b3c4d'])('%s is a verifier cookie', (name) => {
    expect(isVerifierCookie(name)).toBe(true);
  });

  it.each(['wos-session', 'wos-auth-verifierx', 'x-wos-auth-verifier-1'])('%s is not', (name) => {
    expect(isVerifierCookie(name)).toBe(false);
  });
});

describe('light verifier values', () => {
  it('stand for their state only', async () => {
    const value = await lightVerifierValue('state-a');
    expect(await verifierMatchesState(value, 'state-a')).toBe(true);
    expect(await verifierMatchesState(value, 'state-b')).toBe(false);
    expect(await verifierMatchesState('state-a', 'state-a')).toBe(true);
  });

  it('the callback gets the state back in the matching verifier only', async () => {
    const other = await lightVerifierValue('state-b');
    const cookies = new Map([
      ['wos-session', 's'],
      ['wos-auth-verifier-aaaaaaaa', await lightVerifierValue('state-a')],
      ['wos-auth-verifier-bbbbbbbb', other],
    ]);
    const store = {
      getAll: () => [...cookies].map(([name, value]) => ({ name, value })),
      set: (name: string, value: string) => cookies.set(name, value),
    };
    await restoreVerifierForState(store, 'state-a');
    expect(Object.fromEntries(cookies)).toEqual({
      'wos-session': 's',
      'wos-auth-verifier-aaaaaaaa': 'state-a',
      'wos-auth-verifier-bbbbbbbb': other,
    });
    await restoreVerifierForState(store, 'forged');
    await restoreVerifierForState(store, null);
    expect(cookies.get('wos-auth-verifier-bbbbbbbb')).toBe(other);
  });
});

describe('pruning verifiers', () => {
  const pending = async (count: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, index) => ({
        name: `wos-auth-verifier-${index}`,
        value: await lightVerifierValue(`s${index}`, 1_000 + index),
      })),
    );

  it('keeps the newest ones up to the cap, counting the one being added', async () => {
    expect(verifiersToExpire(await pending(MAX_PENDING_SIGN_INS))).toEqual([]);
    expect(verifiersToExpire(await pending(MAX_PENDING_SIGN_INS), 1)).toEqual(['wos-auth-verifier-0']);
    expect(verifiersToExpire(await pending(8))).toEqual(['wos-auth-verifier-0', 'wos-auth-verifier-1', 'wos-auth-verifier-2']);
  });

  it('orders full sealed states by the expiry iron sealed into them', async () => {
    const old = await sealData({}, { password: TEST_ENV.WORKOS_COOKIE_PASSWORD, ttl: 600 });
    const cookies = [
      { name: 'wos-auth-verifier-old', value: old },
      ...(await pending(MAX_PENDING_SIGN_INS)).map((c) => ({
        ...c,
        value: `${(Date.now() + 1000).toString(36)}.${c.value.split('.')[1]}`,
      })),
    ];
    expect(verifiersToExpire(cookies)).toEqual(['wos-auth-verifier-old']);
  });

  it('expires a burst of parallel starts on the next proxied response, with the attributes they were set with', async () => {
    const headers = new Headers();
    pruneVerifierCookies(await pending(100), headers, httpsScope);
    expect(headers.getSetCookie()).toHaveLength(100 - MAX_PENDING_SIGN_INS);
    expect(headers.getSetCookie()[0]).toBe(`wos-auth-verifier-0=; Path=/; ${EPOCH}; Domain=example.com; Secure; HttpOnly; SameSite=lax`);
  });
});
