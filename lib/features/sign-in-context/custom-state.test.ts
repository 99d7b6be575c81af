import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CustomStateTooLargeError,
  MAX_CUSTOM_STATE_BYTES,
  createCustomState,
  parseCustomState,
  serializeCustomState,
  type CustomState,
} from './custom-state';

const NOW = 1_700_000_000_000;

function raw(value: unknown): string {
  return JSON.stringify(value);
}

const valid = { v: 1, startedFrom: '/pricing?plan=team', intent: 'sign-up', startedAt: NOW } as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createCustomState', () => {
  it('builds a version-1 state', () => {
    expect(createCustomState({ startedFrom: '/pricing?plan=team', intent: 'sign-up', now: NOW })).toEqual(valid);
  });

  it('stamps the current time when none is given', () => {
    vi.spyOn(Date, 'now').mockReturnValue(42);
    expect(createCustomState({ startedFrom: '/', intent: 'sign-in' }).startedAt).toBe(42);
  });

  it.each([
    ['//evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/x/../auth/sign-in', '/'],
    [undefined, '/'],
    [42, '/'],
    ['/a/./b', '/a/b'],
  ])('sanitises startedFrom %j to %j', (startedFrom, expected) => {
    expect(createCustomState({ startedFrom, intent: 'sign-in', now: NOW }).startedFrom).toBe(expected);
  });
});

describe('createCustomState with a long startedFrom', () => {
  // A same-origin Referer can carry up to 2048 characters (search filters, UTM
  // tags); the state must still serialise, or signing in from that page fails.
  it('keeps only the pathname when the query makes it too long', () => {
    const startedFrom = `/reports/monthly?filter=${'x'.repeat(300)}&utm_source=newsletter`;
    const state = createCustomState({ startedFrom, intent: 'sign-in', now: NOW });
    expect(state.startedFrom).toBe('/reports/monthly');
    expect(parseCustomState(serializeCustomState(state))).toEqual(state);
  });

  it('falls back to / when the pathname alone is too long', () => {
    const state = createCustomState({ startedFrom: `/${'a'.repeat(1000)}?q=1`, intent: 'sign-up', now: NOW });
    expect(state.startedFrom).toBe('/');
    expect(() => serializeCustomState(state)).not.toThrow();
  });

  it('keeps a path of exactly 256 characters', () => {
    const startedFrom = `/${'a'.repeat(255)}`;
    const state = createCustomState({ startedFrom, intent: 'sign-in', now: NOW });
    expect(state.startedFrom).toBe(startedFrom);
    expect(parseCustomState(serializeCustomState(state))).toEqual(state);
  });
});

describe('serializeCustomState / parseCustomState', () => {
  it('round-trips', () => {
    const state = createCustomState({ startedFrom: '/docs/getting-started?ref=nav#install', intent: 'sign-in', now: NOW });
    const serialized = serializeCustomState(state);
    expect(JSON.parse(serialized)).toEqual(state);
    expect(parseCustomState(serialized)).toEqual(state);
  });

  it('refuses to serialise more than 512 bytes, counting UTF-8 bytes rather than characters', () => {
    expect(MAX_CUSTOM_STATE_BYTES).toBe(512);
    // 256 characters is within the schema's length limit, but 511 bytes of UTF-8.
    const state: CustomState = { v: 1, startedFrom: `/${'é'.repeat(255)}`, intent: 'sign-in', startedAt: NOW };
    expect(() => serializeCustomState(state)).toThrow(CustomStateTooLargeError);
    expect(() => serializeCustomState(state)).toThrow(/bytes; the limit is 512/);
  });

  it('refuses to serialise a state of the wrong shape', () => {
    const wrong = { ...valid, intent: 'admin' } as unknown as CustomState;
    expect(() => serializeCustomState(wrong)).toThrow();
  });
});

describe('parseCustomState', () => {
  it('returns undefined for a value over 512 bytes even when its shape is valid', () => {
    const oversized = raw({ ...valid, startedFrom: `/${'é'.repeat(255)}` });
    expect(new TextEncoder().encode(oversized).length).toBeGreaterThan(MAX_CUSTOM_STATE_BYTES);
    expect(parseCustomState(oversized)).toBeUndefined();
  });

  it.each([
    ['wrong version', raw({ ...valid, v: 2 })],
    ['version as a string', raw({ ...valid, v: '1' })],
    ['unknown intent', raw({ ...valid, intent: 'admin' })],
    ['missing startedFrom', raw({ v: 1, intent: 'sign-in', startedAt: NOW })],
    ['negative startedAt', raw({ ...valid, startedAt: -1 })],
    ['fractional startedAt', raw({ ...valid, startedAt: 1.5 })],
    ['startedFrom longer than 256 characters', raw({ ...valid, startedFrom: `/${'a'.repeat(256)}` })],
    ['JSON null', 'null'],
    ['JSON array', raw([valid])],
    ['not JSON', '{"v":1,'],
    ['plain text', 'hello'],
    ['empty string', ''],
  ])('returns undefined for %s', (_label, input) => {
    expect(parseCustomState(input)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 1],
    ['an already-parsed object', valid],
  ])('returns undefined for non-string %s', (_label, input) => {
    expect(parseCustomState(input)).toBeUndefined();
  });

  it.each([
    ['//evil.example'],
    ['https://evil.example'],
    ['javascript:alert(1)'],
    ['/\\evil.example'],
    ['/%2F%2Fevil.example'],
    ['/auth/sign-in'],
    ['/foo%0d%0aSet-Cookie:x=1'],
  ])('re-sanitises a hostile startedFrom %j to /', (startedFrom) => {
    expect(parseCustomState(raw({ ...valid, startedFrom }))).toEqual({ ...valid, startedFrom: '/' });
  });

  it('normalises a startedFrom it keeps', () => {
    expect(parseCustomState(raw({ ...valid, startedFrom: '/a/../pricing' }))?.startedFrom).toBe('/pricing');
  });

  it('drops unknown keys', () => {
    expect(parseCustomState(raw({ ...valid, isAdmin: true }))).toEqual(valid);
  });
});
