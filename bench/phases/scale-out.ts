/**
 * Target 6 — two `next start` instances sharing one cookie password behind
 * nginx (round robin). Sign in through instance 1 directly, then send
 * dashboard requests one after the other through the load balancer, so they
 * alternate between the instances, keeping the cookies each response sets.
 * Tokens live 35 s here, so authkit refreshes about every 5 s (30 s window):
 * the run continues until it has made `requests` requests and seen at least
 * one refresh. At the end, the session must open the dashboard on both
 * instances directly.
 */
import { getWithJar } from '../lib/cookies.ts';
import { signInOverHttp } from '../lib/sign-in.ts';
import type { LoadBalancer } from '../lib/nginx.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, createBenchUser, type AppInstance, type Mock } from '../lib/stack.ts';
import { round } from '../lib/stats.ts';
import { isSignedIn } from './refresh.ts';

export interface ScaleOutResult {
  requests: number;
  perInstance: Record<string, number>;
  alternated: boolean;
  failed: number;
  refreshCalls: number;
  refreshedBy: Record<string, number>;
  jwksFetches: number;
  survivesOnBoth: boolean;
  seconds: number;
}

const SCALE_OUT_TOKEN_TTL_SECONDS = 35;

export async function scaleOut(
  instances: [AppInstance, AppInstance],
  balancer: LoadBalancer,
  mock: Mock,
  options: { requests: number; maxSeconds: number; sinceSeq: number },
): Promise<ScaleOutResult> {
  const [first, second] = instances;
  const user = await createBenchUser(mock.control, 'scaleout');
  await mock.control.setAccessTokenTtl(SCALE_OUT_TOKEN_TTL_SECONDS);
  try {
    const { jar } = await signInOverHttp({ appUrl: first.url, email: user.email, password: user.password });
    const before = mock.seq();
    const started = performance.now();
    const deadline = Date.now() + options.maxSeconds * 1000;
    const perInstance: Record<string, number> = {};
    const refreshedBy: Record<string, number> = {};
    const upstreams: string[] = [];
    let requests = 0;
    let failed = 0;
    const refreshes = () => mock.calls(before, { endpoint: 'authenticate', grantType: 'refresh_token', userId: user.id }).length;
    while ((requests < options.requests || refreshes() < 1) && Date.now() < deadline) {
      try {
        const { response, body, cookies } = await getWithJar(`${balancer.url}/dashboard`, jar, 15_000);
        const upstream = response.headers.get('x-bench-upstream') ?? 'unknown';
        const name = upstream.endsWith(`:${first.port}`) ? first.name : upstream.endsWith(`:${second.port}`) ? second.name : upstream;
        perInstance[name] = (perInstance[name] ?? 0) + 1;
        upstreams.push(name);
        if (cookies.set.includes('wos-session')) refreshedBy[name] = (refreshedBy[name] ?? 0) + 1;
        if (response.status !== 200 || !body.includes(user.email)) failed += 1;
      } catch {
        failed += 1;
      }
      requests += 1;
    }
    const alternated = upstreams.every((name, index) => index === 0 || name !== upstreams[index - 1]);
    const survivesOnBoth =
      (await isSignedIn(first.url, jar.clone(), user.email)) && (await isSignedIn(second.url, jar.clone(), user.email));
    return {
      requests,
      perInstance,
      alternated,
      failed,
      refreshCalls: refreshes(),
      refreshedBy,
      jwksFetches: mock.calls(options.sinceSeq, { endpoint: 'jwks' }).length,
      survivesOnBoth,
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await mock.control.setAccessTokenTtl(DEFAULT_TOKEN_TTL_SECONDS);
  }
}
