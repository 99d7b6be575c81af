import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenericServerException, RateLimitExceededException, WorkOS } from '@workos-inc/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyCallbackError } from '../callback/classify';
import { AUTHKIT_REQUEST_HEADERS } from '@workos-inc/authkit-nextjs';
import { WORKOS_REQUEST_TIMEOUT_MS, boundWorkOSClient } from './client';
import { AUTHKIT_PROXY_HEADER, AUTHKIT_SESSION_HEADER } from './session-header';
import { sharedRefreshFlight, singleFlightRefresh } from './refresh-single-flight';

vi.mock('./refresh-single-flight', async (importOriginal) => {
  const original = await importOriginal<typeof import('./refresh-single-flight')>();
  return { ...original, singleFlightRefresh: vi.fn(original.singleFlightRefresh) };
});

/** The SDK internals boundWorkOSClient rebuilds; read-only view for assertions. */
interface Internals {
  options: { timeout?: number; maxRetries?: number };
  baseURL: string;
  client: {
    baseURL: string;
    MAX_RETRY_ATTEMPTS: number;
    options: { timeout?: number; maxRetries?: number; headers: Record<string, string> };
  };
}

function internals(workos: WorkOS): Internals {
  return workos as unknown as Internals;
}

interface FakeWorkOS {
  port: number;
  requests: string[];
}

const servers: Server[] = [];

async function startServer(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<FakeWorkOS> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    handle(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests };
}

function clientFor({ port }: FakeWorkOS): WorkOS {
  return new WorkOS('sk_test_x', { apiHostname: '127.0.0.1', port, https: false });
}

function unavailable(response: ServerResponse, extraHeaders: Record<string, string> = {}) {
  response.writeHead(503, { 'Content-Type': 'application/json', ...extraHeaders });
  response.end(JSON.stringify({ message: 'Service Unavailable' }));
}

afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

// client.ts patches members the SDK declares internal, and reads the
// headers authkit's proxy forwards. If an upgrade changes any of them, these
// fail with a message that says where to look.
describe('SDK internals lib/auth/authkit/client.ts and session-header.ts rely on', () => {
  const where =
    'lib/auth/authkit/client.ts (or session-header.ts) relies on this; the installed @workos-inc/node or authkit-nextjs changed it';

  it('WorkOS keeps options, client, createHttpClient and createUserAgent', () => {
    const workos = new WorkOS('sk_test_x', { apiHostname: '127.0.0.1', port: 9, https: false }) as unknown as Record<string, unknown>;
    expect(typeof workos.options, `WorkOS#options: ${where}`).toBe('object');
    expect(typeof workos.client, `WorkOS#client: ${where}`).toBe('object');
    expect(typeof workos.createHttpClient, `WorkOS#createHttpClient: ${where}`).toBe('function');
    expect(typeof workos.createUserAgent, `WorkOS#createUserAgent: ${where}`).toBe('function');
  });

  it('authkit forwards the session to the render in the headers session-header.ts names', () => {
    expect(AUTHKIT_REQUEST_HEADERS, `AUTHKIT_REQUEST_HEADERS: ${where}`).toEqual(
      expect.arrayContaining([AUTHKIT_SESSION_HEADER, AUTHKIT_PROXY_HEADER]),
    );
  });

  it('authkit still shares one SDK instance (getWorkOS), and the door bounds that one', async () => {
    // authkit reads WORKOS_API_KEY when its module loads: load a fresh copy with one set.
    vi.resetModules();
    vi.stubEnv('WORKOS_API_KEY', 'sk_test_x');
    try {
      const authkit = await import('@workos-inc/authkit-nextjs');
      const door = await import('./client');
      const shared = authkit.getWorkOS();
      expect(authkit.getWorkOS(), `getWorkOS(): ${where}`).toBe(shared);
      expect(door.workos()).toBe(shared);
      expect(internals(shared).client.options.timeout).toBe(WORKOS_REQUEST_TIMEOUT_MS);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('boundWorkOSClient', () => {
  it('rebuilds the HTTP client with the bounds, keeping base URL and credentials', () => {
    const workos = new WorkOS('sk_test_x', { apiHostname: '127.0.0.1', port: 9, https: false });
    const before = internals(workos).client;
    // The SDK defaults this guards against: 60 s per attempt, 3 retries.
    expect(before.options.timeout).toBeUndefined();
    expect(before.MAX_RETRY_ATTEMPTS).toBe(3);

    expect(boundWorkOSClient(workos)).toBe(workos);

    const after = internals(workos);
    expect(after.client).not.toBe(before);
    expect(after.options.timeout).toBe(4000);
    expect(after.options.maxRetries).toBe(0);
    expect(after.client.options.timeout).toBe(4000);
    expect(after.client.options.maxRetries).toBe(0);
    expect(after.client.MAX_RETRY_ATTEMPTS).toBe(0);
    expect(after.client.baseURL).toBe('http://127.0.0.1:9');
    expect(after.client.options.headers.Authorization).toBe('Bearer sk_test_x');
    expect(after.client.options.headers['User-Agent']).toMatch(/^workos-node\//);
  });

  it('sends its refreshes through the single-flight, process-wide (every bundle) and across instances through Redis when configured', () => {
    const workos = new WorkOS('sk_test_x', { apiHostname: '127.0.0.1', port: 9, https: false });
    vi.mocked(singleFlightRefresh).mockClear();
    boundWorkOSClient(workos);
    expect(vi.mocked(singleFlightRefresh).mock.calls).toEqual([[expect.any(Function), { shared: sharedRefreshFlight, processWide: true }]]);
    expect(workos.userManagement.authenticateWithRefreshToken).toBe(vi.mocked(singleFlightRefresh).mock.results[0]?.value);
  });

  it('binds each instance once', () => {
    const workos = new WorkOS('sk_test_x', { apiHostname: '127.0.0.1', port: 9, https: false });
    boundWorkOSClient(workos);
    const client = internals(workos).client;
    expect(boundWorkOSClient(workos)).toBe(workos);
    expect(internals(workos).client).toBe(client);
  });

  describe('against a local server', () => {
    it('makes a request to a server answering 503 exactly once', async () => {
      const server = await startServer((_request, response) => unavailable(response));
      const workos = boundWorkOSClient(clientFor(server));

      const error: unknown = await workos.userManagement.getUser('user_01').catch((caught: unknown) => caught);

      expect(server.requests).toEqual(['GET /user_management/users/user_01']);
      expect(error).toBeInstanceOf(GenericServerException);
      expect((error as GenericServerException).status).toBe(503);
      // …and the callback shows "try again" for what the SDK throws.
      const url = new URL('http://localhost:3000/api/auth/callback?code=c&state=s');
      expect(classifyCallbackError({ error, url, redirectUri: 'http://localhost:3000/api/auth/callback' })).toBe('workos_unavailable');
    });

    it('does not wait for Retry-After on a 429', async () => {
      const server = await startServer((_request, response) => {
        response.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '60' });
        response.end(JSON.stringify({ message: 'Too Many Requests' }));
      });
      const workos = boundWorkOSClient(clientFor(server));

      const started = performance.now();
      await expect(workos.userManagement.getUser('user_01')).rejects.toBeInstanceOf(RateLimitExceededException);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(server.requests).toHaveLength(1);
    });

    it('(control) an unbound client retries the same 503 three more times', async () => {
      // Retry-After: 0 makes the SDK's retries immediate, so this stays fast.
      const server = await startServer((_request, response) => unavailable(response, { 'Retry-After': '0' }));

      await expect(clientFor(server).userManagement.getUser('user_01')).rejects.toBeInstanceOf(GenericServerException);
      expect(server.requests).toHaveLength(4);

      server.requests.length = 0;
      await expect(boundWorkOSClient(clientFor(server)).userManagement.getUser('user_01')).rejects.toBeInstanceOf(GenericServerException);
      expect(server.requests).toHaveLength(1);
    });

    it('gives up on a server that never answers once 4 s have passed (on a fake clock)', async () => {
      let received!: () => void;
      const requestReceived = new Promise<void>((resolve) => {
        received = resolve;
      });
      // Accept the request, never respond.
      const server = await startServer(() => received());
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const workos = boundWorkOSClient(clientFor(server));

      let settled = false;
      const outcome = workos.userManagement.getUser('user_01').then(
        () => 'resolved',
        (error: unknown) => error,
      );
      void outcome.finally(() => {
        settled = true;
      });
      await requestReceived;

      await vi.advanceTimersByTimeAsync(WORKOS_REQUEST_TIMEOUT_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const error = await outcome;

      expect(settled).toBe(true);
      expect(error).toMatchObject({ status: 408 });
      expect(server.requests).toHaveLength(1);
      const url = new URL('http://localhost:3000/api/auth/callback?code=c&state=s');
      expect(classifyCallbackError({ error, url, redirectUri: 'http://localhost:3000/api/auth/callback' })).toBe('workos_unavailable');
    });
  });
});
