import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { freePort } from '../../test/free-port';
import { startRedisServer } from '../../test/redis-server';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS as TIMEOUTS, timed, withRedisServer } from '../../test/redis-server-for-tests';
import type { RedisConnection, RedisStatusEvent } from './connection';

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
