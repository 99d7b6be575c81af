import { describe, expect, it } from 'vitest';
import { createCustomState, parseCustomState, serializeCustomState } from './custom-state';
import { startedFromReferer } from './sign-in-context';

const APP_ORIGIN = 'http://localhost:3000';

describe('startedFromReferer', () => {
  it('keeps the path and query of a same-origin Referer, without the fragment', () => {
    expect(startedFromReferer(`${APP_ORIGIN}/pricing?plan=team#faq`, APP_ORIGIN)).toBe('/pricing?plan=team');
  });

  it.each([
    ['a missing Referer', null],
    ['an empty Referer', ''],
    ['another site', 'https://evil.example/pricing'],
    ['127.0.0.1 instead of localhost', 'http://127.0.0.1:3000/pricing'],
    ['another port', 'http://localhost:3001/pricing'],
    ['https instead of http', 'https://localhost:3000/pricing'],
    ['a malformed URL', 'not a url'],
    ['a relative path', '/pricing'],
  ])('is / for %s', (_label, referer) => {
    expect(startedFromReferer(referer, APP_ORIGIN)).toBe('/');
  });

  it.each([
    ['an auth-flow page', `${APP_ORIGIN}/auth/sign-in?returnTo=/dashboard`],
    ['a path that starts with //', `${APP_ORIGIN}//evil.example/x`],
    ['an encoded // path', `${APP_ORIGIN}/%2F%2Fevil.example`],
  ])('sanitises a same-origin Referer to / for %s', (_label, referer) => {
    expect(startedFromReferer(referer, APP_ORIGIN)).toBe('/');
  });

  it('produces a custom state that serialises even from a page with a very long URL', () => {
    const startedFrom = startedFromReferer(`${APP_ORIGIN}/reports?filter=${'x'.repeat(1500)}`, APP_ORIGIN);
    const state = createCustomState({ startedFrom, intent: 'sign-in', now: 0 });
    expect(parseCustomState(serializeCustomState(state))?.startedFrom).toBe('/reports');
  });
});
