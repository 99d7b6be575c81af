import { describe, expect, it } from 'vitest';
import {
  AUTH_ERROR_CODES,
  AUTH_ERROR_COPY,
  authErrorCopyFor,
  authErrorUrl,
  isAuthErrorCode,
  newReferenceId,
  parseReferenceId,
} from './codes';

describe('error copy', () => {
  it('has copy for exactly the public codes', () => {
    expect(Object.keys(AUTH_ERROR_COPY).sort()).toEqual([...AUTH_ERROR_CODES].sort());
  });

  it.each(AUTH_ERROR_CODES.map((code) => [code]))('%s has a title, description, next step and a same-origin action', (code) => {
    const { title, description, nextStep, action } = AUTH_ERROR_COPY[code];
    for (const text of [title, description, nextStep, action.label]) expect(text.trim()).not.toBe('');
    expect(action.href.startsWith('/')).toBe(true);
    expect(action.href.startsWith('//')).toBe(false);
  });

  it('gives every code its own title', () => {
    const titles = AUTH_ERROR_CODES.map((code) => AUTH_ERROR_COPY[code].title);
    expect(new Set(titles).size).toBe(AUTH_ERROR_CODES.length);
  });

  it('returns the copy for a known code', () => {
    expect(authErrorCopyFor('invalid_code')).toEqual({ code: 'invalid_code', copy: AUTH_ERROR_COPY.invalid_code });
  });

  it.each([
    ['an unknown code', 'nope'],
    ['markup', '<script>alert(1)</script>'],
    ['a prototype key', 'toString'],
    ['__proto__', '__proto__'],
    ['a code with different case', 'ACCESS_DENIED'],
    ['a code with whitespace', ' access_denied'],
    ['undefined', undefined],
    ['an array holding a code', ['access_denied']],
  ])('falls back to the unexpected copy for %s', (_label, code) => {
    expect(authErrorCopyFor(code)).toEqual({ code: 'unexpected', copy: AUTH_ERROR_COPY.unexpected });
  });

  it('isAuthErrorCode accepts only the listed codes', () => {
    expect(AUTH_ERROR_CODES.every((code) => isAuthErrorCode(code))).toBe(true);
    expect(isAuthErrorCode('constructor')).toBe(false);
    expect(isAuthErrorCode(1)).toBe(false);
  });
});

describe('reference ids', () => {
  it('generates 10 characters from an unambiguous lower-case alphabet that parseReferenceId accepts', () => {
    const ids = Array.from({ length: 200 }, () => newReferenceId());
    for (const id of ids) {
      expect(id).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
      expect(parseReferenceId(id)).toBe(id);
    }
    // Random, not a constant.
    expect(new Set(ids).size).toBeGreaterThan(190);
  });

  it('accepts a well-formed id', () => {
    expect(parseReferenceId('abc234xyz9')).toBe('abc234xyz9');
  });

  it.each([
    ['markup', '<script>'],
    ['11 characters', 'abcdefghjkm'],
    ['9 characters', 'abcdefghj'],
    ['upper case', 'ABCDEFGHJK'],
    ['ambiguous letters l, i, o', 'abcdefghil'],
    ['o', 'abcdefghjo'],
    ['digits 0 and 1', 'abcdefgh01'],
    ['a trailing newline', 'abcdefghjk\n'],
    ['surrounding spaces', ' abcdefghjk'],
    ['empty', ''],
    ['a number', 1234567890],
    ['undefined', undefined],
  ])('rejects %s', (_label, value) => {
    expect(parseReferenceId(value)).toBeUndefined();
  });
});

describe('authErrorUrl', () => {
  it('is the error page on the given origin, with the code and the reference', () => {
    expect(authErrorUrl('invalid_state', 'abc234xyz9', 'https://app.example.com/api/auth/callback').toString()).toBe(
      'https://app.example.com/auth/error?code=invalid_state&ref=abc234xyz9',
    );
  });
});
