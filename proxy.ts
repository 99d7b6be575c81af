// Next 16 calls this file `proxy.ts` (it was `middleware.ts` before).
import { authProxy } from '@/lib/auth/proxy-policy';

export default authProxy;

export const config = {
  // Everything except the callback (it must never be redirected), Next's build
  // output and image optimiser, and any path with a file extension (static
  // assets in public/, fonts, icons). Which paths need a user is decided in
  // lib/auth/proxy-policy.ts, not here.
  matcher: ['/((?!api/auth/callback|_next/static|_next/image|.*\\.[A-Za-z0-9]+$).*)'],
};
