/**
 * Case 19: fast-check generated callback queries, cookies and returnTo values
 * over HTTP (no browser). Bounded counts keep this file to a few seconds.
 */
import fc from 'fast-check';
import { expect, test } from '../fixtures';
import { SESSION_COOKIE, apiSignIn, newContext, newUser } from './support';

const RUNS = 400;
const BATCH = 24;

async function inBatches<T>(values: T[], check: (value: T) => Promise<void>) {
  for (let i = 0; i < values.length; i += BATCH) await Promise.all(values.slice(i, i + BATCH).map(check));
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constantFrom('Fe26.2*1*a*b*c*d*e*f', 'Fe26.2**', '%', '%%', '%zz', '\r\n', '\u0000', '../..', '//evil.example', 'javascript:alert(1)'),
  fc.webUrl(),
);

test('19. fuzzed callback queries, session cookies and returnTo values never produce a 5xx', async ({ mock }) => {
  test.setTimeout(90_000);
  const request = await newContext();
  const started = Date.now();
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  const queries = fc.sample(fc.dictionary(fc.constantFrom('code', 'state', 'error', 'error_description', 'returnTo', 'x'), hostileText, { maxKeys: 4 }), RUNS);
  await inBatches(queries, async (query) => {
    const search = new URLSearchParams(query as Record<string, string>).toString();
    const response = await request.get(`/api/auth/callback?${search}`, { maxRedirects: 0 });
    count(response.status());
    expect(response.status(), search).toBeLessThan(500);
  });

  const user = await newUser(mock, 'fuzz');
  const real = (await apiSignIn(await newContext(), user.email)).cookie;
  const cookieSafe = (value: string) => value.replace(/[^\x21-\x7e]|[;,"\\]/g, '');
  const mutations = fc.sample(
    fc.oneof(
      hostileText.map(cookieSafe),
      fc.tuple(fc.nat({ max: real.length - 1 }), fc.nat({ max: 60 })).map(([at, cut]) => real.slice(0, at) + real.slice(at + cut)),
      fc.tuple(fc.nat({ max: real.length - 1 }), fc.constantFrom('A', '*', '~', '0', 'z')).map(([at, char]) => real.slice(0, at) + char + real.slice(at + 1)),
      fc.array(fc.constantFrom('Fe26.2', '1', 'a', '', '*', 'ZZZZ'), { maxLength: 10 }).map((parts) => parts.join('*')),
    ),
    RUNS,
  );
  await inBatches(mutations, async (value) => {
    for (const path of ['/', '/dashboard']) {
      const response = await request.get(path, { maxRedirects: 0, headers: { cookie: `${SESSION_COOKIE}=${value}`, accept: 'text/html' } });
      count(response.status());
      expect(response.status(), `${path} with ${value.slice(0, 80)}`).toBeLessThan(500);
    }
  });

  const returnTos = fc.sample(hostileText, RUNS);
  const mockOrigin = new URL(process.env.E2E_MOCK_URL ?? '').origin;
  await inBatches(returnTos, async (returnTo) => {
    const response = await request.fetch(`/auth/sign-in?${new URLSearchParams({ returnTo })}`, { maxRedirects: 0, headers: { cookie: '' } });
    count(response.status());
    expect(response.status(), JSON.stringify(returnTo)).toBe(303);
    const target = new URL(response.headers()['location'] ?? '');
    expect(target.origin).toBe(mockOrigin);
  });

  test.info().annotations.push({ type: 'fuzz requests', description: `${[...statuses.values()].reduce((a, b) => a + b, 0)} in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}` });
  await request.dispose();
});
