/**
 * The optional Redis connection (REDIS_URL) behind state that several server
 * instances must share: the refresh single-flight and provider tokens.
 *
 * Redis is a helper, never a dependency of a page: every operation goes
 * through {@link RedisConnection.attempt}, which answers `{ ok: false }` instead
 * of throwing when Redis is unreachable, slow or erroring, within a bounded
 * time. Callers then do what they do without Redis (per-process behaviour).
 * {@link subscribeToChannel} listens on a connection of its own, in the background.
 *
 * Client: node-redis (`@redis/client`, the core of the `redis` package without
 * its module add-ons). It is the client Redis itself maintains, and it has the
 * three bounds we need built in: a connect timeout, a per-command timeout and
 * an offline queue that can be switched off (commands fail at once while
 * disconnected instead of waiting for a reconnect).
 */
import { createClient, ErrorReply } from '@redis/client';

export interface RedisTimeouts {
  /** The first operation waits this long at most for the first connection. */
  connectTimeoutMs: number;
  /** An operation without a reply after this long fails (a stalled or paused server). */
  commandTimeoutMs: number;
  /** After a failure, Redis is skipped for this long, so a slow server costs one timeout, not one per request. */
  retryAfterMs: number;
}

const DEFAULT_REDIS_TIMEOUTS: RedisTimeouts = {
  connectTimeoutMs: 500,
  commandTimeoutMs: 250,
  retryAfterMs: 5_000,
};

const BACKGROUND_CONNECT_TIMEOUT_MS = 3_000;

/** node-redis' options for every connection of the app. */
export function clientOptions(url: string, timeouts: RedisTimeouts) {
  return {
    url,
    // RESP2: spoken by every Redis (and hosted look-alikes), RESP3 only from Redis 6 on.
    RESP: 2 as const,
    disableOfflineQueue: true,
    commandOptions: { timeout: timeouts.commandTimeoutMs },
    socket: {
      // Connecting happens in the background (attempt() does not wait for it after the
      // first time), so a slow connect on a busy machine may take longer than a request would.
      connectTimeout: BACKGROUND_CONNECT_TIMEOUT_MS,
      // Keep trying in the background (attempt() skips Redis meanwhile), at most every few seconds.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, timeouts.retryAfterMs),
    },
  };
}

function newClient(url: string, timeouts: RedisTimeouts) {
  return createClient(clientOptions(url, timeouts));
}

type RedisClient = ReturnType<typeof newClient>;

/**
 * `unavailable` and `recovered` come once each per outage; `command_failed` for each
 * command the server refused on its own merits (a key of the wrong type), which is
 * no outage. `error` may describe the server (host, port): log its class and code only.
 */
export type RedisStatusEvent =
  { status: 'unavailable'; error: unknown } | { status: 'recovered' } | { status: 'command_failed'; error: unknown };

/**
 * Error replies that say the server serves no one right now (loading, a read-only
 * replica after a failover, out of memory, …): an outage. Any other error reply
 * (WRONGTYPE, a script error) is about that command and its keys only.
 */
const SERVER_UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|NOAUTH|WRONGPASS|NOPERM|OOM|MISCONF)\b/;

/** The first connection did not come up within the connect timeout. */
class RedisNotReadyError extends Error {
  override name = 'RedisNotReadyError';
}

/** An operation got no reply within the command timeout. */
class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';
}

/**
 * node-redis' own command timeout only covers a command still waiting to be
 * written; one already sent to a server that stopped answering would wait for
 * its reply forever. So every operation also races this deadline. (A late
 * reply is then simply dropped.)
 *
 * When the deadline's timer fires, replies that have already arrived may still
 * sit unread behind it (a busy event loop runs due timers before it reads
 * sockets), so the deadline gives way to one round of I/O first: only a reply
 * that truly is late counts as a timeout, not a server that was slow to start.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      immediate = setImmediate(() => reject(new RedisTimeoutError(`no reply within ${ms} ms`)));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  }
}

type Attempt<T> = { ok: true; value: T } | { ok: false };

export interface RedisConnection {
  /**
   * Runs `operation` with the client when Redis is usable. Never throws: a
   * failure (connection refused, timeout, error reply) answers `{ ok: false }`.
   * After an outage (anything but an error reply about the command itself),
   * Redis is skipped for `retryAfterMs`.
   */
  attempt<T>(operation: (client: RedisClient) => Promise<T>): Promise<Attempt<T>>;
  close(): Promise<void>;
}

export function createRedisConnection(
  url: string,
  {
    timeouts = DEFAULT_REDIS_TIMEOUTS,
    onStatus = () => {},
    now = Date.now,
  }: { timeouts?: RedisTimeouts; onStatus?: (event: RedisStatusEvent) => void; now?: () => number } = {},
): RedisConnection {
  const client = newClient(url, timeouts);

  let everReady = false;
  let healthy = true;
  let skipUntil = 0;

  const markUnavailable = (error: unknown) => {
    skipUntil = now() + timeouts.retryAfterMs;
    if (healthy) {
      healthy = false;
      onStatus({ status: 'unavailable', error });
    }
  };
  const markAvailable = () => {
    skipUntil = 0;
    if (!healthy) {
      healthy = true;
      onStatus({ status: 'recovered' });
    }
  };

  // Redis' socket never keeps a process alive (a build worker, a test runner).
  client.unref();
  // A refused connection is known at once: the first operation need not wait out the connect timeout.
  let reportFirstFailure = () => {};
  const firstFailure = new Promise<void>((resolve) => (reportFirstFailure = resolve));
  // Without an 'error' listener node-redis' errors would crash the process.
  client.on('error', (error: unknown) => {
    markUnavailable(error);
    reportFirstFailure();
  });
  client.on('ready', () => {
    everReady = true;
    markAvailable();
  });

  let closed = false;
  const connecting = client.connect().then(
    () => undefined,
    (error: unknown) => markUnavailable(error),
  );

  /** The first operation waits for the first connection, no longer than a connect timeout. */
  const firstConnection = (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeouts.connectTimeoutMs)));
    return Promise.race([connecting, firstFailure, timeout]).finally(() => clearTimeout(timer));
  };

  return {
    async attempt(operation) {
      if (closed || now() < skipUntil) return { ok: false };
      if (!everReady) {
        await firstConnection();
        if (!client.isReady) {
          markUnavailable(new RedisNotReadyError('no connection yet'));
          return { ok: false };
        }
      }
      if (!client.isReady) return { ok: false };
      try {
        const value = await withDeadline(operation(client), timeouts.commandTimeoutMs);
        markAvailable();
        return { ok: true, value };
      } catch (error) {
        if (error instanceof ErrorReply && !SERVER_UNAVAILABLE_REPLY.test(error.message)) {
          // The server answered: it is up, and this key (or script) is the problem.
          markAvailable();
          onStatus({ status: 'command_failed', error });
        } else {
          markUnavailable(error);
        }
        return { ok: false };
      }
    },
    async close() {
      closed = true;
      client.destroy();
      await connecting;
    },
  };
}

export interface ChannelHandlers {
  onMessage: (message: string) => void;
  /** After every (re)subscription: messages published while disconnected are lost, so read here what was missed. */
  onSubscribed: () => void;
}

/**
 * Listens to `channel` on a connection of its own (a subscribed connection serves
 * nothing else), kept in the background like the main one: it reconnects and
 * subscribes again by itself. Never throws and reports nothing: the main
 * connection reports the server's state.
 */
export function subscribeToChannel(
  url: string,
  channel: string,
  { onMessage, onSubscribed }: ChannelHandlers,
  timeouts: RedisTimeouts = DEFAULT_REDIS_TIMEOUTS,
): { close(): Promise<void> } {
  const client = newClient(url, timeouts);
  client.unref();
  client.on('error', () => {});
  let subscribed = false;
  // On a reconnect node-redis subscribes again before it reports 'ready'.
  client.on('ready', () => subscribed && onSubscribed());
  const connecting = client
    .connect()
    .then(() => {
      subscribed = true;
      return client.subscribe(channel, onMessage);
    })
    .then(onSubscribed)
    .catch(() => {});
  return {
    async close() {
      client.destroy();
      await connecting;
    },
  };
}
