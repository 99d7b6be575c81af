import { sealData } from 'iron-session';
import { describe, expect, it, vi } from 'vitest';
import { EPOCH, TEST_ENV, httpsScope } from '../../../test/auth-config';
import {
  MAX_PENDING_SIGN_INS,
  isVerifierCookie,
  lightVerifierValue,
  pruneVerifierCookies,
  restoreVerifierForState,
  verifierMatchesState,
  verifiersToExpire,
  verifierOfStateExpired,
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

  it('touches only verifier cookies, and only those that do not hold the state already', async () => {
    const light = await lightVerifierValue('state-a');
    const cookies = new Map([
      // Another cookie that happens to hold the same light value is not a verifier.
      ['app-cookie', light],
      ['wos-auth-verifier-aaaaaaaa', 'state-a'],
      ['wos-auth-verifier-bbbbbbbb', light],
    ]);
    const set = vi.fn((name: string, value: string) => cookies.set(name, value));
    await restoreVerifierForState({ getAll: () => [...cookies].map(([name, value]) => ({ name, value })), set }, 'state-a');
    expect(set.mock.calls).toEqual([['wos-auth-verifier-bbbbbbbb', 'state-a']]);
    expect(cookies.get('app-cookie')).toBe(light);
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
    expect(MAX_PENDING_SIGN_INS).toBe(5);
    expect(verifiersToExpire(await pending(3))).toEqual([]);
    expect(verifiersToExpire(await pending(4), 1)).toEqual([]);
    expect(verifiersToExpire(await pending(MAX_PENDING_SIGN_INS))).toEqual([]);
    expect(verifiersToExpire(await pending(MAX_PENDING_SIGN_INS), 1)).toEqual(['wos-auth-verifier-0']);
    expect(verifiersToExpire(await pending(8))).toEqual(['wos-auth-verifier-0', 'wos-auth-verifier-1', 'wos-auth-verifier-2']);
  });

  it('counts verifier cookies only, and expires the oldest whatever the order they came in', async () => {
    const cookies = [{ name: 'wos-session', value: 's' }, { name: 'app-cookie', value: 'x' }, ...(await pending(6)).reverse()];
    expect(verifiersToExpire(cookies)).toEqual(['wos-auth-verifier-0']);
    expect(verifiersToExpire(cookies, 2)).toEqual(['wos-auth-verifier-0', 'wos-auth-verifier-1', 'wos-auth-verifier-2']);
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

  it('counts the verifiers the response sets, and not the ones it deletes', async () => {
    const expired = (name: string) => `${name}=; Path=/; ${EPOCH}; Domain=example.com; Secure; HttpOnly; SameSite=lax`;
    const headers = new Headers();
    headers.append('set-cookie', 'wos-auth-verifier-new=v; Path=/; HttpOnly');
    headers.append('set-cookie', expired('wos-auth-verifier-4'));
    headers.append('set-cookie', 'wos-session=s; Path=/; HttpOnly');
    // 5 sent, one of them deleted by the response, one set: 5, so nothing more to expire.
    pruneVerifierCookies(await pending(5), headers, httpsScope);
    expect(headers.getSetCookie()).toHaveLength(3);
    // 6 sent, one deleted, one set: 6, so the oldest goes.
    const more = new Headers(headers);
    pruneVerifierCookies(await pending(6), more, httpsScope);
    expect(more.getSetCookie().slice(3)).toEqual([expired('wos-auth-verifier-0')]);
    // A verifier set again under a name the browser sent is still counted (the sent one is not deleted).
    const again = new Headers();
    again.append('set-cookie', 'wos-auth-verifier-4=v; Path=/; HttpOnly');
    pruneVerifierCookies(await pending(5), again, httpsScope);
    expect(again.getSetCookie().slice(1)).toEqual([expired('wos-auth-verifier-0')]);
  });

  it('a callback answered without authkit expires only the verifier its state names', async () => {
    const cookies = [
      { name: 'wos-auth-verifier-a', value: 'state-one' },
      { name: 'wos-session', value: 'state-two' },
      { name: 'wos-auth-verifier-b', value: await lightVerifierValue('state-two') },
    ];
    expect(await verifierOfStateExpired(cookies, 'state-one')).toEqual(['wos-auth-verifier-a=; Path=/; Max-Age=0']);
    expect(await verifierOfStateExpired(cookies, 'state-two')).toEqual(['wos-auth-verifier-b=; Path=/; Max-Age=0']);
    expect(await verifierOfStateExpired(cookies, 'state-of-no-sign-in')).toEqual([]);
    expect(await verifierOfStateExpired(cookies, null)).toEqual([]);
  });
});
