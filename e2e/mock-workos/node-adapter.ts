/**
 * Serves msw request handlers from a node:http server through msw's
 * `getResponse`. Written here because `@mswjs/http-middleware` (0.10.x)
 * crashes with msw 3 (`handleRequest is not a function`).
 *
 * Beyond translating requests and responses it does two things a fetch
 * handler cannot: a `Response.error()` (what `HttpResponse.error()` returns
 * for an injected "drop" fault) destroys the socket, and the control API
 * prefix is refused to non-loopback peers.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getResponse, type RequestHandler } from 'msw';

/** Addresses a socket peer on this machine can have (IPv4, IPv6 and IPv4-mapped IPv6). */
function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return ipv4.startsWith('127.') || address === '::1';
}

async function readBody(incoming: IncomingMessage): Promise<Buffer | undefined> {
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toRequest(incoming: IncomingMessage, body: Buffer | undefined): Request {
  const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    const name = incoming.rawHeaders[index];
    const value = incoming.rawHeaders[index + 1];
    if (name !== undefined && value !== undefined) headers.append(name, value);
  }
  // The peer address, as a proxy in front of WorkOS would pass it: sessions record it as `ip_address`.
  if (!headers.has('x-forwarded-for') && incoming.socket.remoteAddress) headers.set('x-forwarded-for', incoming.socket.remoteAddress);
  return new Request(url, { method: incoming.method, headers, body: body && body.length > 0 ? new Uint8Array(body) : undefined });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    outgoing.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoing.setHeader('set-cookie', cookies);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

function sendJson(outgoing: ServerResponse, status: number, body: unknown): void {
  outgoing.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function createRequestListener(handlers: readonly RequestHandler[], { controlPrefix }: { controlPrefix: string }): RequestListener {
  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    if (incoming.url?.startsWith(controlPrefix) && !isLoopbackAddress(incoming.socket.remoteAddress)) {
      sendJson(outgoing, 403, { message: 'The mock control API only answers loopback clients.' });
      return;
    }
    const request = toRequest(incoming, await readBody(incoming));
    const response = await getResponse([...handlers], request);
    if (!response) {
      sendJson(outgoing, 404, { message: `No handler for ${request.method} ${new URL(request.url).pathname}.` });
      return;
    }
    if (response.type === 'error') {
      incoming.socket.destroy();
      return;
    }
    await writeResponse(response, outgoing);
  }

  return (incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      console.error('[mock-workos] handler failed:', error);
      if (outgoing.headersSent) outgoing.destroy();
      else sendJson(outgoing, 500, { message: 'The mock WorkOS failed to handle this request.', detail: String(error) });
    });
  };
}
