/** What the admin page's API key actions report back: a new key's secret (once), or `?api_key=…` after a revocation. */
export type CreateApiKeyState =
  { status: 'idle' } | { status: 'created'; name: string; secret: string } | { status: 'error'; message: string };

export const API_KEY_NOTICE_PARAM = 'api_key';

export const API_KEY_NOTICES = {
  revoked: { tone: 'success', text: 'The API key is revoked: requests made with it are refused from now on.' },
  unknown: { tone: 'error', text: 'That API key is not one of your organization’s.' },
  failed: { tone: 'error', text: 'The API key could not be revoked right now. Try again.' },
} as const;

export type ApiKeyNotice = keyof typeof API_KEY_NOTICES;

export function readApiKeyNotice(value: unknown): ApiKeyNotice | undefined {
  return typeof value === 'string' && Object.hasOwn(API_KEY_NOTICES, value) ? (value as ApiKeyNotice) : undefined;
}
