import { CallbackError, TokenRefreshError } from '@workos-inc/authkit-nextjs';
import { GenericServerException, OauthException, UnauthorizedException } from '@workos-inc/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeError, logAuthEvent, runHooks } from './log';

const SECRET = 'SECRET-abc123';

describe('describeError', () => {
  it.each([
    ['a plain Error', new Error(`token ${SECRET} rejected`), 'Error'],
    ['a TypeError', new TypeError(`fetch failed for https://api.example/?code=${SECRET}`), 'TypeError'],
    [
      'an OauthException',
      new OauthException(400, 'req_1', 'invalid_grant', `code ${SECRET} expired`, { code: SECRET }),
      'OauthException status=400 error=invalid_grant',
    ],
    [
      'a GenericServerException',
      new GenericServerException(503, `upstream said ${SECRET}`, {}, 'req_1'),
      'GenericServerException status=503',
    ],
    ['an UnauthorizedException', new UnauthorizedException('req_1'), 'UnauthorizedException status=401'],
    [
      'an authkit CallbackError',
      new CallbackError(`state ${SECRET} did not match`, 'oauth_state_mismatch'),
      'CallbackError code=oauth_state_mismatch',
    ],
    [
      'a Node system error',
      Object.assign(new Error(`connect ECONNREFUSED ${SECRET}`), { code: 'ECONNREFUSED' }),
      'Error code=ECONNREFUSED',
    ],
    [
      "authkit's TokenRefreshError, by what it wraps (never the ids it carries)",
      new TokenRefreshError(`Failed to refresh ${SECRET}`, new OauthException(400, 'req_1', 'invalid_grant', SECRET, {}), {
        userId: `user_${SECRET}`,
        sessionId: `session_${SECRET}`,
      }),
      'TokenRefreshError < OauthException status=400 error=invalid_grant',
    ],
    [
      "the SDK's network error, down to the socket's code",
      new Error(`fetch ${SECRET}`, {
        cause: new TypeError('fetch failed', { cause: Object.assign(new Error(SECRET), { name: 'SocketError', code: 'UND_ERR_SOCKET' }) }),
      }),
      'Error < TypeError < SocketError code=UND_ERR_SOCKET',
    ],
  ])('describes %s by class, status and code only', (_label, error, expected) => {
    const description = describeError(error);
    expect(description).toBe(expected);
    expect(description).not.toContain(SECRET);
  });

  it('follows causes three deep, no further (a cycle ends)', () => {
    const loop: Error = new Error('a');
    loop.cause = loop;
    expect(describeError(loop)).toBe('Error < Error < Error < Error');
  });

  it('names an error class that leaves `name` at "Error" by its constructor, and one that sets it by that name', () => {
    class ClientClosedError extends Error {}
    class Renamed extends Error {
      override name = 'Custom';
    }
    expect(describeError(new ClientClosedError('x'))).toBe('ClientClosedError');
    expect(describeError(new Renamed('x'))).toBe('Custom');
  });

  it('ignores status, code and error fields that are not of the expected type', () => {
    const error = Object.assign(new Error('x'), { status: '503', code: { token: SECRET }, error: [SECRET] });
    expect(describeError(error)).toBe('Error');
  });

  it.each([
    ['a string', `sk_test_${SECRET}`, 'string'],
    ['an object holding a token', { accessToken: SECRET }, 'object'],
    ['null', null, 'object'],
    ['undefined', undefined, 'undefined'],
    ['a number', 401, 'number'],
  ])('describes %s by its type only', (_label, error, expected) => {
    expect(describeError(error)).toBe(expected);
  });
});

describe('logAuthEvent', () => {
  const AT = '2026-03-04T05:06:07.000Z';

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date(AT), toFake: ['Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function spies() {
    return {
      info: vi.spyOn(console, 'info').mockImplementation(() => undefined),
      warn: vi.spyOn(console, 'warn').mockImplementation(() => undefined),
    };
  }

  function onlyLine(spy: ReturnType<typeof spies>['info']): string {
    expect(spy).toHaveBeenCalledTimes(1);
    const args = spy.mock.calls[0] ?? [];
    expect(args).toHaveLength(1);
    const [line] = args;
    expect(typeof line).toBe('string');
    expect(line).not.toMatch(/[\r\n]/);
    return line as string;
  }

  it('writes a sign-in as one JSON line at info level', () => {
    const { info, warn } = spies();
    logAuthEvent({
      event: 'sign_in',
      userId: 'user_01',
      method: 'GoogleOAuth',
      organizationId: undefined,
      impersonatedBy: undefined,
    });
    expect(warn).not.toHaveBeenCalled();
    expect(JSON.parse(onlyLine(info))).toEqual({
      level: 'info',
      at: AT,
      scope: 'auth',
      event: 'sign_in',
      userId: 'user_01',
      method: 'GoogleOAuth',
    });
  });

  it('writes failures at warn level', () => {
    const { info, warn } = spies();
    logAuthEvent({ event: 'sign_in_failed', code: 'invalid_code', reference: 'abc234xyz9', reason: 'OauthException status=400' });
    expect(info).not.toHaveBeenCalled();
    expect(JSON.parse(onlyLine(warn))).toEqual({
      level: 'warn',
      at: AT,
      scope: 'auth',
      event: 'sign_in_failed',
      code: 'invalid_code',
      reference: 'abc234xyz9',
      reason: 'OauthException status=400',
    });
  });

  it('writes a refresh failure at warn level', () => {
    const { info, warn } = spies();
    logAuthEvent({ event: 'session_refresh_failed', transient: true, reason: 'TypeError' });
    expect(info).not.toHaveBeenCalled();
    expect(JSON.parse(onlyLine(warn))).toMatchObject({ level: 'warn', event: 'session_refresh_failed', transient: true });
  });

  it.each([
    [{ event: 'sign_out', userId: 'user_01', sessionId: 'session_01' }],
    [{ event: 'oauth_tokens_stored', userId: 'user_01', provider: 'Google' }],
  ] as const)('writes %o at info level', (entry) => {
    const { info, warn } = spies();
    logAuthEvent(entry);
    expect(warn).not.toHaveBeenCalled();
    expect(JSON.parse(onlyLine(info))).toEqual({ level: 'info', at: AT, scope: 'auth', ...entry });
  });

  it('keeps a value with line breaks on one line, so it cannot forge another entry', () => {
    const { info } = spies();
    const forged = '/x\n{"level":"info","event":"sign_in","userId":"user_admin"}';
    logAuthEvent({
      event: 'sign_in',
      userId: 'user_01',
      method: forged,
      organizationId: undefined,
      impersonatedBy: undefined,
    });
    expect(JSON.parse(onlyLine(info)).method).toBe(forged);
  });
});

describe('runHooks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs every hook in order, logs a failing one by name with a secret-free reason, and goes on', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ran: string[] = [];
    async function storeTokens(arg: string) {
      ran.push(`store ${arg}`);
      throw Object.assign(new Error(`down ${SECRET}`), { code: 'ECONNREFUSED' });
    }
    const hooks = [
      storeTokens,
      // An arrow function assigned nowhere has no name.
      [async (arg: string) => void ran.push(`anonymous ${arg}`)][0]!,
      [
        async () => {
          throw new TypeError('no');
        },
      ][0]!,
    ];
    await runHooks(hooks, 'user_1', (hook, reason) => ({ event: 'sign_in_hook_failed', hook, userId: 'user_1', reason }));
    expect(ran).toEqual(['store user_1', 'anonymous user_1']);
    expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
      expect.objectContaining({ event: 'sign_in_hook_failed', hook: 'storeTokens', userId: 'user_1', reason: 'Error code=ECONNREFUSED' }),
      expect.objectContaining({ event: 'sign_in_hook_failed', hook: 'anonymous', userId: 'user_1', reason: 'TypeError' }),
    ]);
  });
});
