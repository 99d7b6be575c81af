/**
 * A failed callback reaches the log once, as our onError's line: authkit's own
 * console.error dump (with its stack) is dropped for the handlers the adapter
 * builds, and nothing else is. (upstream.test.ts pins the dump itself.)
 */
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../../test/auth-config';
import { withoutAuthkitErrorDump } from './callback-error-log';

/** What authkit's handleAuth logs a failure with (upstream.test.ts pins it). */
const AUTHKIT_CALLBACK_ERROR_PREFIX = '[AuthKit callback error]';

beforeAll(() => {
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());
afterEach(() => vi.restoreAllMocks());

const callbackWithoutCode = () => new NextRequest('https://app.example.com/api/auth/callback?state=abc');

describe("the adapter's handleAuth", () => {
  it("hands a failed callback to onError without authkit's console.error dump", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { CallbackError, handleAuth } = await import('./index');
    let failure: unknown;
    const handler = handleAuth({
      onError: ({ error: reported }) => {
        failure = reported;
        return new Response('onError answered', { status: 303 });
      },
    });

    const response = await handler(callbackWithoutCode());

    expect(response.status).toBe(303);
    expect(await response.text()).toBe('onError answered');
    expect(failure).toBeInstanceOf(CallbackError);
    expect((failure as InstanceType<typeof CallbackError>).code).toBe('missing_auth_params');
    expect(error).not.toHaveBeenCalled();
  });
});

describe('withoutAuthkitErrorDump', () => {
  it("drops only authkit's line, and only inside the handler", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('x');
    const handler = withoutAuthkitErrorDump(async (first: string) => {
      console.error(AUTHKIT_CALLBACK_ERROR_PREFIX, failure);
      await Promise.resolve();
      console.error(first, failure);
      return 'done';
    });

    expect(await handler('[something else]')).toBe('done');
    console.error(AUTHKIT_CALLBACK_ERROR_PREFIX, failure);

    expect(error.mock.calls).toEqual([
      ['[something else]', failure],
      [AUTHKIT_CALLBACK_ERROR_PREFIX, failure],
    ]);
  });

  it('a request outside the handler, running at the same time, keeps its line', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const inside = withoutAuthkitErrorDump(async () => {
      await held;
      console.error(AUTHKIT_CALLBACK_ERROR_PREFIX, 'inside');
    })();
    const outside = (async () => {
      await Promise.resolve();
      console.error(AUTHKIT_CALLBACK_ERROR_PREFIX, 'outside');
      release();
    })();
    await Promise.all([inside, outside]);

    expect(error.mock.calls).toEqual([[AUTHKIT_CALLBACK_ERROR_PREFIX, 'outside']]);
  });

  it('puts itself in front of console.error once, however many handlers run', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = withoutAuthkitErrorDump(async () => console.error('[line]'));
    await handler();
    const installed = console.error;
    await handler();

    expect(console.error).toBe(installed);
    expect(error.mock.calls).toEqual([['[line]'], ['[line]']]);
  });
});
