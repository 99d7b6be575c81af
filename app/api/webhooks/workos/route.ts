// WorkOS webhooks (demo feature: lib/features/webhooks/). Public: WorkOS sends no session, the
// signature is the proof (lib/auth/session/route-access.ts lists this path).
import { receiveWorkOSWebhook } from '@/lib/features/webhooks/webhooks';

export const POST = receiveWorkOSWebhook;
