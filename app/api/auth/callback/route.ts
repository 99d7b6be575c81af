import { handleCallback } from '@/lib/auth/callback';

// Phase 3 — AuthKit redirects here with ?code&state. Deliberately outside the proxy matcher.
export const GET = handleCallback;
