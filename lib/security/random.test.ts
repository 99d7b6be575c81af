import { randomFillSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, randomFillSync: vi.fn(original.randomFillSync) };
});
const fills = vi.mocked(randomFillSync);

const { createNonce, randomString } = await import('./random');

describe('createNonce', () => {
  it('is 128 bits, base64, as the CSP nonce grammar wants', () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('never repeats a value, across refills of the pool', () => {
    // 4 KiB pool, 16 bytes each: 1 000 draws span 4 refills.
    const nonces = Array.from({ length: 1_000 }, createNonce);
    expect(new Set(nonces).size).toBe(1_000);
  });
});

describe('randomString', () => {
  it('draws 4 KiB from the CSPRNG at a time and hands each byte out once', () => {
    // A whole pool's worth empties the pool the test began with, whatever was left of it.
    expect(Buffer.from(randomString(4096, 'base64'), 'base64')).toHaveLength(4096);
    fills.mockClear();
    const drawn = Array.from({ length: 512 }, () => Buffer.from(randomString(16, 'base64url'), 'base64url'));
    // 512 × 16 bytes = exactly two pools: the last byte of each is handed out before the next fill.
    expect(fills).toHaveBeenCalledTimes(2);
    expect(drawn.every((bytes) => bytes.length === 16)).toBe(true);
    expect(new Set(drawn.map((bytes) => bytes.toString('hex'))).size).toBe(512);
  });

  it('refills rather than hand out a value that straddles the end of the pool', () => {
    const values = Array.from({ length: 300 }, () => randomString(15, 'base64url'));
    expect(values.every((value) => Buffer.from(value, 'base64url').length === 15)).toBe(true);
  });

  it('refuses sizes the pool cannot give: 1 to 4096 bytes are given', () => {
    expect(Buffer.from(randomString(1, 'base64'), 'base64')).toHaveLength(1);
    expect(Buffer.from(randomString(4096, 'base64'), 'base64')).toHaveLength(4096);
    expect(() => randomString(0, 'base64')).toThrow(RangeError);
    expect(() => randomString(4097, 'base64')).toThrow('bytes must be 1–4096, got 4097');
    expect(() => randomString(1.5, 'base64')).toThrow(RangeError);
  });
});
