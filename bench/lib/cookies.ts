/** A minimal cookie jar for one site: applies Set-Cookie the way a browser would (in arrival order). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  constructor(entries: Iterable<[string, string]> = []) {
    for (const [name, value] of entries) this.#cookies.set(name, value);
  }

  clone(): CookieJar {
    return new CookieJar(this.#cookies);
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  /** The Cookie request header. */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Applies every Set-Cookie of a response; returns the names it set or deleted. */
  apply(response: Response): { set: string[]; deleted: string[] } {
    return this.applyLines(response.headers.getSetCookie());
  }

  applyLines(lines: string[]): { set: string[]; deleted: string[] } {
    const changes = { set: [] as string[], deleted: [] as string[] };
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', attributeValue = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'max-age') return Number(attributeValue) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(attributeValue) <= Date.now();
        return false;
      });
      if (expired || value === '') {
        this.#cookies.delete(name);
        changes.deleted.push(name);
      } else {
        this.#cookies.set(name, value);
        changes.set.push(name);
      }
    }
    return changes;
  }
}

export const SESSION_COOKIE = 'wos-session';

/**
 * GET `url` as a browser holding `jar` would (no redirect followed): the body
 * read, and what the response sets or deletes applied to the jar.
 */
export async function getWithJar(url: string, jar: CookieJar, timeoutMs: number) {
  const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() }, signal: AbortSignal.timeout(timeoutMs) });
  const body = await response.text();
  return { response, body, cookies: jar.apply(response) };
}
