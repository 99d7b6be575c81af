import { createServer } from 'node:net';

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A port for `name`, stable across Playwright's processes: the runner picks it
 * and records it in the environment, which the workers inherit.
 */
export async function sharedPort(name: string): Promise<number> {
  const existing = Number(process.env[name]);
  if (Number.isInteger(existing) && existing > 0) return existing;
  const port = await freePort();
  process.env[name] = String(port);
  return port;
}
