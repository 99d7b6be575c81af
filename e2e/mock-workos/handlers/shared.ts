import { delay, HttpResponse } from 'msw';
import type { MockEndpoint, MockWorkOSStore, RequestLogEntry, RequestSubject } from '../store.ts';

export interface HandlerOptions {
  /**
   * Origin the handlers answer for, e.g. `https://api.workos.com` when used
   * with `setupServer` inside an app process (so unrelated requests pass by).
   * Omitted: any origin (the mock's own HTTP server).
   */
  origin?: string;
}

/** An msw path for `pathname` under the configured origin. */
export const pathFor = (options: HandlerOptions, pathname: string) => `${options.origin ?? '*'}${pathname}`;

export const jsonResponse = (body: unknown, status = 200) =>
  HttpResponse.json(body as Record<string, unknown>, { status, headers: { 'Cache-Control': 'no-store' } });

/** OAuth-style error body, as WorkOS' token endpoint answers. */
export const oauthError = (status: number, error: string, description: string) =>
  jsonResponse({ error, error_description: description }, status);

/** Read body of the token endpoint: WorkOS accepts JSON and form encoding. */
export async function readParams(request: Request): Promise<Record<string, string | undefined>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (contentType.includes('application/x-www-form-urlencoded') || contentType.includes('multipart/form-data')) {
    const form = await request.formData();
    return Object.fromEntries([...form.entries()].map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));
  }
  const text = await request.text();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : value == null ? undefined : String(value)]),
    );
  } catch {
    return {};
  }
}

/** True when `Authorization: Bearer <the configured API key>` is present. */
export const hasApiKey = (store: MockWorkOSStore, request: Request) =>
  request.headers.get('authorization') === `Bearer ${store.config.apiKey}`;

export const unauthorized = () => jsonResponse({ message: 'Unauthorized', code: 'unauthorized' }, 401);

/** The issuer put into access tokens: the origin the app called. */
export const issuerOf = (request: Request) => new URL(request.url).origin;

/**
 * One call to a WorkOS endpoint: logs it, applies a matching injected fault
 * (status, delay, dropped connection), otherwise runs `handle`.
 */
export async function handleApiCall(
  store: MockWorkOSStore,
  request: Request,
  endpoint: MockEndpoint,
  subject: RequestSubject,
  handle: (entry: RequestLogEntry) => Response | Promise<Response>,
): Promise<Response> {
  const entry = store.logRequest({ method: request.method, path: new URL(request.url).pathname, endpoint, ...subject });
  const fault = store.takeFault(endpoint, subject);
  if (fault) {
    const { action } = fault;
    entry.fault = action.type;
    if (action.delayMs) await delay(action.delayMs);
    if (action.type === 'drop') return HttpResponse.error();
    if (action.type === 'status') {
      entry.status = action.status;
      const body = action.body ?? { error: 'injected_fault', error_description: `Fault injected by the mock for ${endpoint}.` };
      return jsonResponse(body, action.status);
    }
  }
  const response = await handle(entry);
  entry.status = response.status;
  return response;
}
