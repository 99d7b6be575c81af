import { freePort } from '../../test/free-port.ts';

export { freePort };

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
