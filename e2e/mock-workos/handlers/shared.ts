import { delay, HttpResponse } from 'msw';
import type { ClientInfo, MockEndpoint, MockWorkOSStore, RequestLogEntry, RequestSubject } from '../store.ts';

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

/** WorkOS-style error body (`{code, message}`), as its API answers outside the token endpoint's OAuth errors. */
export const workosError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  jsonResponse({ code, message, ...extra }, status);

/** The cookie `name` the browser sent, if any: the hosted UI's own (hosted session, invitation, pre-approval ticket). */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The browser or client a request came from, as WorkOS records it on a
 * session: explicit `ip_address`/`user_agent` parameters win, else the
 * request's own (the HTTP adapter puts the peer address in `x-forwarded-for`).
 */
export function clientInfoOf(request: Request, params: Record<string, string | undefined> = {}): ClientInfo {
  const forwardedFor = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return {
    ipAddress: params.ip_address ?? (forwardedFor || null),
    userAgent: params.user_agent ?? request.headers.get('user-agent'),
  };
}

/**
 * Removes (`omit`) or nulls (`nullify`) fields of a JSON value in place. A path
 * is dot-separated; `[]` after a name (or alone) means every item of that array.
 */
function alterFields(value: unknown, paths: readonly string[], mode: 'omit' | 'nullify'): void {
  for (const path of paths) alterPath(value, path.split('.').filter(Boolean), mode);
}

function alterPath(value: unknown, segments: string[], mode: 'omit' | 'nullify'): void {
  const [head, ...rest] = segments;
  if (head === undefined || value === null || typeof value !== 'object') return;
  if (head === '[]' || head.endsWith('[]')) {
    const name = head.slice(0, -2);
    const list = name ? (value as Record<string, unknown>)[name] : value;
    if (Array.isArray(list)) for (const item of list) alterPath(item, rest, mode);
    return;
  }
  const record = value as Record<string, unknown>;
  if (rest.length > 0) {
    alterPath(record[head], rest, mode);
    return;
  }
  if (!(head in record)) return;
  if (mode === 'omit') delete record[head];
  else record[head] = null;
}

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

/** The issuer put into access tokens, as WorkOS writes it: `<the origin the app called>/user_management/<client id>`. */
export const issuerOf = (request: Request, clientId: string) => `${new URL(request.url).origin}/user_management/${clientId}`;

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
  const action = fault?.action;
  if (action) {
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
  if (action?.type === 'alter_fields' && response.headers.get('content-type')?.includes('application/json')) {
    const body: unknown = await response.json();
    alterFields(body, action.omit ?? [], 'omit');
    alterFields(body, action.nullify ?? [], 'nullify');
    return jsonResponse(body, response.status);
  }
  return response;
}
