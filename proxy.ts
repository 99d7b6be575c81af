// Next 16 calls this file `proxy.ts` (it was `middleware.ts` before).
import { authProxy } from '@/lib/auth/proxy-policy';

export default authProxy;

export const config = {
  // Everything except the callback (it must never be redirected), Next's build
  // output and image optimiser, and any path with a file extension (static
  // assets in public/, fonts, icons). Which paths need a user is decided in
  // lib/auth/proxy-policy.ts, not here.
  // bench-control: the benchmark's control page (app/bench-control, 404 unless
  // BENCH_CONTROL_ROUTE=1) stays outside the proxy so `npm run bench` can
  // measure what the proxy adds to the same render.
  matcher: ['/((?!api/auth/callback|bench-control$|_next/static|_next/image|.*\\.[A-Za-z0-9]+$).*)'],
};
