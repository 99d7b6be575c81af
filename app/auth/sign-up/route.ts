import { authorizationRoute } from '@/lib/auth/authorization-route';

// Phase 1 — redirect to the hosted AuthKit sign-up page.
export const GET = authorizationRoute('sign-up');
