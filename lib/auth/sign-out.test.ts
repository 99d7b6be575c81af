import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../test/auth-config';
import { signOutAndReturnHome } from './sign-out';

const state = vi.hoisted(() => ({
  session: null as { user: { id: string }; sessionId: string } | null,
  signOut: vi.fn(async (options: unknown) => void options),
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ host: 'app.example.com' }) }));
vi.mock('./authkit', () => ({ signOut: state.signOut }));
vi.mock('./session/read', () => ({ getSession: async () => state.session }));

beforeAll(() => {
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  state.session = null;
  state.signOut.mockClear();
  vi.restoreAllMocks();
});

describe('signOutAndReturnHome', () => {
  it('logs the sign-out, runs the hooks with the session, and has authkit end it, back to the home page of this origin', async () => {
    state.session = { user: { id: 'user_1' }, sessionId: 'session_1' };
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const hook = vi.fn(async () => undefined);
    await signOutAndReturnHome([hook]);
    expect(info.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
      expect.objectContaining({ event: 'sign_out', userId: 'user_1', sessionId: 'session_1' }),
    ]);
    expect(hook).toHaveBeenCalledWith(state.session);
    expect(state.signOut.mock.calls).toEqual([[{ returnTo: 'https://app.example.com/' }]]);
  });

  it('signed out already: no log line, the hooks get null, and authkit still clears the cookies', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const hook = vi.fn(async () => undefined);
    await signOutAndReturnHome([hook]);
    expect(info).not.toHaveBeenCalled();
    expect(hook).toHaveBeenCalledWith(null);
    expect(state.signOut).toHaveBeenCalledTimes(1);
  });

  it('a failing hook is logged and does not stop the sign-out', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await signOutAndReturnHome([
      async function forgetTokens() {
        throw new TypeError('down');
      },
    ]);
    expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
      expect.objectContaining({ event: 'sign_out_hook_failed', hook: 'forgetTokens', reason: 'TypeError' }),
    ]);
    expect(state.signOut).toHaveBeenCalledTimes(1);
  });
});
