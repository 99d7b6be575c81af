import { sealData, unsealData } from 'iron-session';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  clearUnsealCache,
  sealExpiry,
  sealWithCookiePassword,
  unsealDataCached,
  unsealSessionUserId,
  unsealWithCookiePassword,
} from './seal';

vi.mock('iron-session', async (importOriginal) => {
  const original = await importOriginal<typeof import('iron-session')>();
  return { ...original, unsealData: vi.fn(original.unsealData) };
});
const unseals = vi.mocked(unsealData);

const password = 'a-test-cookie-password-of-at-least-32-chars';
const other = 'another-cookie-password-of-at-least-32-chars';

afterEach(() => {
  vi.useRealTimers();
  clearUnsealCache();
  unseals.mockClear();
});

describe('unsealDataCached', () => {
  it('returns what a fresh unseal returns, deeply frozen, the same object on every hit', async () => {
    const sealed = await sealData({ user: { id: 'user_1', roles: ['admin'] } }, { password });
    const first = await unsealDataCached<{ user: { id: string; roles: string[] } }>(sealed, { password });
    expect(first).toEqual({ user: { id: 'user_1', roles: ['admin'] } });
    // No request can change what the next one reads.
    expect(() => {
      first.user.id = 'user_changed';
    }).toThrow(TypeError);
    expect(() => first.user.roles.push('owner')).toThrow(TypeError);
    const second = await unsealDataCached<{ user: { id: string; roles: string[] } }>(sealed, { password });
    expect(second).toBe(first);
    expect(second).toEqual({ user: { id: 'user_1', roles: ['admin'] } });
    expect(unseals).toHaveBeenCalledTimes(1);
  });

  it('does not serve a seal to another password', async () => {
    const sealed = await sealData({ user: { id: 'user_1' } }, { password });
    await unsealDataCached(sealed, { password });
    expect(await unsealDataCached(sealed, { password: other })).toEqual({});
  });

  it('never caches a seal that does not verify', async () => {
    const sealed = await sealData({ user: { id: 'user_1' } }, { password });
    const tampered = sealed.replace(/\*([^*]+)~2$/, (_match, mac: string) => `*${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}~2`);
    expect(await unsealDataCached(tampered, { password })).toEqual({});
    expect(await unsealDataCached(tampered, { password })).toEqual({});
    expect(unseals).toHaveBeenCalledTimes(2);
    expect(await unsealDataCached(sealed, { password })).toEqual({ user: { id: 'user_1' } });
  });

  it('keeps only an object with something in it: a seal of null (read as {}), a string or {} is unsealed again each time', async () => {
    for (const [data, read] of [
      [null, {}],
      ['a string', 'a string'],
      [{}, {}],
    ]) {
      const sealed = await sealData(data as object, { password });
      unseals.mockClear();
      expect(await unsealDataCached(sealed, { password })).toEqual(read);
      expect(await unsealDataCached(sealed, { password })).toEqual(read);
      expect(unseals, JSON.stringify(data)).toHaveBeenCalledTimes(2);
    }
  });

  it('drops an entry when the seal expires, whatever the memo age', async () => {
    const sealed = await sealData({ ok: true }, { password, ttl: 120 });
    const expiry = sealExpiry(sealed);
    expect(expiry).toBeGreaterThan(Date.now());
    const now = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now });
    expect(await unsealDataCached(sealed, { password })).toEqual({ ok: true });
    // Past the 60 s memo age the entry is gone and iron decides again (still valid here).
    vi.setSystemTime(now + 61_000);
    expect(await unsealDataCached(sealed, { password })).toEqual({ ok: true });
    expect(unseals).toHaveBeenCalledTimes(2);
  });

  it('keeps an entry for 60 s at most: served at 59,999 ms, gone at 60,000 ms', async () => {
    const sealed = await sealData({ ok: true }, { password, ttl: 120 });
    const now = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now });
    await unsealDataCached(sealed, { password });
    vi.setSystemTime(now + 59_999);
    expect(await unsealDataCached(sealed, { password })).toEqual({ ok: true });
    expect(unseals).toHaveBeenCalledTimes(1);
    vi.setSystemTime(now + 60_000);
    expect(await unsealDataCached(sealed, { password })).toEqual({ ok: true });
    expect(unseals).toHaveBeenCalledTimes(2);
  });

  it('never serves an entry past the seal’s own expiration: served 1 ms before it, not at it', async () => {
    const sealed = await sealData({ ok: true }, { password, ttl: 120 });
    const expiry = sealExpiry(sealed)!;
    vi.useFakeTimers({ toFake: ['Date'], now: expiry - 1_000 });
    expect(await unsealDataCached(sealed, { password })).toEqual({ ok: true });
    vi.setSystemTime(expiry - 1);
    await unsealDataCached(sealed, { password });
    expect(unseals).toHaveBeenCalledTimes(1);
    vi.setSystemTime(expiry);
    // At its expiration the memo is not used: iron decides again.
    await unsealDataCached(sealed, { password });
    expect(unseals).toHaveBeenCalledTimes(2);
  });

  it('stores nothing for a seal that expires now or has expired (iron still accepts it for 60 s of skew)', async () => {
    const sealed = await sealData({ ok: true }, { password, ttl: 120 });
    const expiry = sealExpiry(sealed)!;
    for (const at of [expiry - 1, expiry]) {
      vi.useFakeTimers({ toFake: ['Date'], now: at });
      clearUnsealCache();
      unseals.mockClear();
      await unsealDataCached(sealed, { password });
      await unsealDataCached(sealed, { password });
      // 1 ms before expiry an entry of 1 ms is not worth keeping either (lru-cache serves an entry whose age equals its ttl).
      expect(unseals, `at expiry ${at - expiry} ms`).toHaveBeenCalledTimes(2);
    }
    vi.setSystemTime(expiry - 2);
    clearUnsealCache();
    unseals.mockClear();
    await unsealDataCached(sealed, { password });
    await unsealDataCached(sealed, { password });
    expect(unseals).toHaveBeenCalledTimes(1);
  });

  it('keeps at most 1,000 entries, the least recently used dropped first', async () => {
    // Stand-in seals: what is measured is the memo, not iron.
    unseals.mockImplementation(async (sealed) => ({ sealed }));
    const fill = async (count: number) => {
      clearUnsealCache();
      unseals.mockClear();
      for (let i = 0; i < count; i += 1) await unsealDataCached(`seal-${i}`, { password });
      await unsealDataCached('seal-0', { password });
      return unseals.mock.calls.length;
    };
    try {
      expect(await fill(1_000)).toBe(1_000);
      expect(await fill(1_001)).toBe(1_002);
    } finally {
      unseals.mockReset();
    }
  });

  it('reads the expiration field of an iron-session seal, digits only', () => {
    expect(sealExpiry('Fe26.2*1*salt*iv*data*1800000000000*hmacsalt*hmac~2')).toBe(1_800_000_000_000);
    expect(sealExpiry('Fe26.2*1*salt*iv*data*18000x*hmacsalt*hmac~2')).toBeUndefined();
    expect(sealExpiry('Fe26.2*1*salt*iv*data*x18000*hmacsalt*hmac~2')).toBeUndefined();
    expect(sealExpiry('Fe26.2*1*salt*iv*data**hmacsalt*hmac~2')).toBeUndefined();
  });

  it('reads the expiration field of an iron-session seal', async () => {
    expect(sealExpiry(await sealData({ a: 1 }, { password, ttl: 0 }))).toBeUndefined();
    const before = Date.now();
    const withTtl = sealExpiry(await sealData({ a: 1 }, { password, ttl: 60 }))!;
    expect(withTtl).toBeGreaterThanOrEqual(before + 60_000);
    expect(withTtl).toBeLessThan(before + 61_000 + 5_000);
  });
});

describe('app seals (features: their cookies and Redis values)', () => {
  it('round-trip with the password and ttl given; another password or a tampered seal reads as {}', async () => {
    const sealed = await sealWithCookiePassword({ provider: 'Google' }, { password, ttl: 60 });
    expect(sealExpiry(sealed)).toBeGreaterThan(Date.now());
    expect(await unsealWithCookiePassword(sealed, { password })).toEqual({ provider: 'Google' });
    expect(await unsealWithCookiePassword(sealed, { password: other })).toEqual({});
    expect(await unsealWithCookiePassword(`${sealed.slice(0, -4)}AAAA`, { password })).toEqual({});
    // Without a ttl, the seal never expires.
    expect(sealExpiry(await sealWithCookiePassword({ a: 1 }, { password }))).toBeUndefined();
  });
});

describe('unsealSessionUserId', () => {
  it('is the sealed user id, or undefined without a cookie, a user, or a readable seal', async () => {
    expect(await unsealSessionUserId(await sealData({ user: { id: 'user_1' } }, { password }), password)).toBe('user_1');
    expect(await unsealSessionUserId(await sealData({ user: { id: 42 } }, { password }), password)).toBeUndefined();
    expect(await unsealSessionUserId(await sealData({ accessToken: 'x' }, { password }), password)).toBeUndefined();
    expect(await unsealSessionUserId(await sealData({ user: { id: 'user_1' } }, { password }), other)).toBeUndefined();
    expect(await unsealSessionUserId('not-a-seal', password)).toBeUndefined();
    // iron-session throws (instead of answering {}) for a seal-shaped value with a non-numeric expiry.
    await expect(unsealWithCookiePassword('Fe26.2*1*salt*iv*data*soon*hmacsalt*hmac~2', { password })).rejects.toThrow(
      'Invalid expiration',
    );
    expect(await unsealSessionUserId('Fe26.2*1*salt*iv*data*soon*hmacsalt*hmac~2', password)).toBeUndefined();
    expect(await unsealSessionUserId(undefined, password)).toBeUndefined();
    expect(await unsealSessionUserId('', password)).toBeUndefined();
  });
});
