import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { freePort } from '../../test/free-port';
import { startRedisServer } from '../../test/redis-server';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS as TIMEOUTS, timed, withRedisServer } from '../../test/redis-server-for-tests';
import { clientOptions, subscribeToChannel, type RedisConnection, type RedisStatusEvent } from './connection';

const redis = withRedisServer();

function connectTo(url: string, events: RedisStatusEvent[] = []): RedisConnection {
  return redis.connect(url, (event) => events.push(event));
}

describe('createRedisConnection', () => {
  it('runs operations against a real redis-server', async () => {
    const connection = connectTo(redis.server.url);
    expect(await connection.attempt((client) => client.set('connection-test', 'v1'))).toEqual({ ok: true, value: 'OK' });
    expect(await connection.attempt((client) => client.get('connection-test'))).toEqual({ ok: true, value: 'v1' });
  });

  it('answers { ok: false } within the connect timeout when nothing listens, logs once, and does not retry every request', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(`redis://127.0.0.1:${await freePort()}`, events);
    const first = await timed(() => connection.attempt((client) => client.ping()));
    expect(first.value).toEqual({ ok: false });
    expect(first.ms).toBeLessThan(TIMEOUTS.connectTimeoutMs * BOUND_MARGIN);
    const second = await timed(() => connection.attempt((client) => client.ping()));
    expect(second.value).toEqual({ ok: false });
    expect(second.ms).toBeLessThan(20);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'unavailable', error: expect.objectContaining({ code: 'ECONNREFUSED' }) });
  });

  it('answers { ok: false } within the command timeout when the server stops answering, then skips Redis until it may retry', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    redis.server.pause();
    const stalled = await timed(() => connection.attempt((client) => client.get('connection-test')));
    expect(stalled.value).toEqual({ ok: false });
    expect(stalled.ms).toBeGreaterThanOrEqual(TIMEOUTS.commandTimeoutMs - 5);
    expect(stalled.ms).toBeLessThan(TIMEOUTS.commandTimeoutMs * BOUND_MARGIN);
    const skipped = await timed(() => connection.attempt((client) => client.get('connection-test')));
    expect(skipped.value).toEqual({ ok: false });
    expect(skipped.ms).toBeLessThan(20);
    expect(events).toEqual([
      { status: 'unavailable', error: expect.objectContaining({ name: 'RedisTimeoutError', message: 'no reply within 200 ms' }) },
    ]);

    redis.server.resume();
    // Skipped until retryAfterMs has passed, then the next attempt reaches the server again.
    await vi.waitFor(async () => expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' }), {
      timeout: TIMEOUTS.retryAfterMs * 4,
      interval: 25,
    });
    expect(events.at(-1)).toEqual({ status: 'recovered' });
  });

  it('turns a server that goes away into { ok: false }', async () => {
    const server = await startRedisServer();
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(server.url, events);
    try {
      expect(await connection.attempt((client) => client.set('k', 'v'))).toEqual({ ok: true, value: 'OK' });
      await server.stop();
      const gone = await timed(() => connection.attempt((client) => client.get('k')));
      expect(gone.value).toEqual({ ok: false });
      expect(gone.ms).toBeLessThan(TIMEOUTS.commandTimeoutMs * BOUND_MARGIN);
      expect(events[0]).toMatchObject({ status: 'unavailable' });
    } finally {
      await server.stop();
    }
  });

  it('closes once, and a second close is a no-op', async () => {
    const connection = connectTo(redis.server.url);
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    await connection.close();
    await expect(connection.close()).resolves.toBeUndefined();
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: false });
  });

  it('never lets an error reply escape', async () => {
    const connection = connectTo(redis.server.url);
    await connection.attempt((client) => client.set('a-string', 'v'));
    expect(await connection.attempt((client) => client.lPush('a-string', 'x'))).toEqual({ ok: false });
  });

  it("takes an error reply about one key (a wrong type) for that command's problem, not an outage: no skip, reported as such", async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    await redis.inspector.hSet('a-hash', 'field', 'value');
    expect(await connection.attempt((client) => client.get('a-hash'))).toEqual({ ok: false });
    const next = await timed(() => connection.attempt((client) => client.ping()));
    expect(next.value).toEqual({ ok: true, value: 'PONG' });
    expect(events).toEqual([
      { status: 'command_failed', error: expect.objectContaining({ message: expect.stringMatching(/^WRONGTYPE/) }) },
    ]);
  });

  it('takes an error reply that says the server cannot serve (out of memory) for an outage: skipped, logged once', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    await redis.inspector.configSet('maxmemory', '1');
    try {
      expect(await connection.attempt((client) => client.set('oom', 'v'))).toEqual({ ok: false });
      expect(await connection.attempt((client) => client.ping())).toEqual({ ok: false });
    } finally {
      await redis.inspector.configSet('maxmemory', '0');
    }
    expect(events).toEqual([{ status: 'unavailable', error: expect.objectContaining({ message: expect.stringMatching(/^OOM/) }) }]);
  });

  it('after an outage the server reported itself (no reconnect), the first success reports the recovery, and the next outage is reported again', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    const outOfMemory = async () => {
      await redis.inspector.configSet('maxmemory', '1');
      try {
        expect(await connection.attempt((client) => client.set('oom', 'v'))).toEqual({ ok: false });
      } finally {
        await redis.inspector.configSet('maxmemory', '0');
      }
    };
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    await outOfMemory();
    await vi.waitFor(async () => expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' }), {
      timeout: TIMEOUTS.retryAfterMs * 4,
      interval: 25,
    });
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    await outOfMemory();
    expect(events.map((event) => event.status)).toEqual(['unavailable', 'recovered', 'unavailable']);
  });

  it('an error reply about one command after an outage the server reported is its recovery too (the server answered)', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    await redis.inspector.hSet('a-hash-after-oom', 'field', 'value');
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    await redis.inspector.configSet('maxmemory', '1');
    try {
      expect(await connection.attempt((client) => client.set('oom', 'v'))).toEqual({ ok: false });
    } finally {
      await redis.inspector.configSet('maxmemory', '0');
    }
    // Past the skip, a command refused on its own merits.
    await vi.waitFor(
      async () => {
        await connection.attempt((client) => client.get('a-hash-after-oom'));
        expect(events.map((event) => event.status)).toEqual(['unavailable', 'recovered', 'command_failed']);
      },
      { timeout: TIMEOUTS.retryAfterMs * 4, interval: 25 },
    );
  });

  it('takes an error reply that only mentions a code of an outage further on for that command’s problem', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    const script = "return redis.error_reply('ERR the script says OOM')";
    expect(await connection.attempt((client) => client.eval(script))).toEqual({ ok: false });
    expect(events.map((event) => event.status)).toEqual(['command_failed']);
  });

  it('asks node-redis for RESP2, no offline queue, the command timeout, a 3 s background connect, and a doubling reconnect delay', () => {
    const options = clientOptions('redis://cache.example:6379', { connectTimeoutMs: 300, commandTimeoutMs: 250, retryAfterMs: 5_000 });
    expect(options).toEqual({
      url: 'redis://cache.example:6379',
      RESP: 2,
      disableOfflineQueue: true,
      commandOptions: { timeout: 250 },
      socket: { connectTimeout: 3_000, reconnectStrategy: expect.any(Function) },
    });
    // 100 ms after the first failure, doubling each time, at most retryAfterMs apart.
    expect([0, 1, 2, 3, 4, 5, 6].map((retries) => options.socket.reconnectStrategy(retries))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000,
    ]);
  });

  it('never keeps a process alive: a script that connects and subscribes, then does nothing more, exits by itself', () => {
    const script = `
      import { createRedisConnection, subscribeToChannel } from './lib/redis/connection.ts';
      const url = process.argv[1];
      const connection = createRedisConnection(url);
      console.log(JSON.stringify(await connection.attempt((client) => client.ping())));
      // A timer of the script's own keeps it alive until the subscription is up (the sockets never do).
      const alive = setInterval(() => {}, 1_000);
      await new Promise((subscribed) => subscribeToChannel(url, 'keeps-nothing-alive', { onMessage() {}, onSubscribed: subscribed }));
      clearInterval(alive);
      console.log('subscribed');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '--eval', script, redis.server.url], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect({ status: run.status, signal: run.signal, stdout: run.stdout }).toEqual({
      status: 0,
      signal: null,
      stdout: '{"ok":true,"value":"PONG"}\nsubscribed\n',
    });
  });

  it('never keeps this process alive either: its sockets, the subscription’s included, do not count as active', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
    const before = sockets();
    const connection = connectTo(redis.server.url);
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    let subscribed = () => {};
    const up = new Promise<void>((resolve) => (subscribed = resolve));
    const subscription = subscribeToChannel(redis.server.url, 'keeps-nothing-alive', { onMessage() {}, onSubscribed: () => subscribed() });
    try {
      await up;
      expect(sockets()).toBe(before);
    } finally {
      await subscription.close();
    }
  });

  it('a server that accepts the connection but never answers: { ok: false } after the connect timeout, reported as not ready', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const events: RedisStatusEvent[] = [];
    try {
      const connection = connectTo(`redis://127.0.0.1:${(silent.address() as AddressInfo).port}`, events);
      expect(await connection.attempt((client) => client.ping())).toEqual({ ok: false });
      expect(events).toEqual([
        { status: 'unavailable', error: expect.objectContaining({ name: 'RedisNotReadyError', message: 'no connection yet' }) },
      ]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports an outage once when it starts and once when it ends, however many operations meet it', async () => {
    const events: RedisStatusEvent[] = [];
    const connection = connectTo(redis.server.url, events);
    expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' });
    redis.server.pause();
    const pausedUntil = Date.now() + TIMEOUTS.retryAfterMs * 2.5;
    while (Date.now() < pausedUntil) {
      expect(await connection.attempt((client) => client.get('k'))).toEqual({ ok: false });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    redis.server.resume();
    await vi.waitFor(async () => expect(await connection.attempt((client) => client.ping())).toEqual({ ok: true, value: 'PONG' }), {
      timeout: TIMEOUTS.retryAfterMs * 4,
      interval: 25,
    });
    expect(events.map((event) => event.status)).toEqual(['unavailable', 'recovered']);
  });
});
