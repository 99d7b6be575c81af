import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port. Used by unit tests (the Redis
 * harness) and the e2e suite alike, so it lives outside e2e/: dropping the
 * mock and e2e/ (docs/testing.md, "Without the mock and the e2e suite") keeps the unit tests working.
 */
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
