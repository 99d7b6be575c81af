/**
 * The revocation list: per process, and shared by "instances" (lists on their
 * own connections) through a real redis-server.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/free-port';
import { cacheSizes } from '../../cache-sizes';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS, timed, withRedisServer } from '../../../test/redis-server-for-tests';
import { createRevocationList, MAX_REVOKED_SESSIONS, revokedUntil, type RevocationList } from './revoked-sessions';

const lists: RevocationList[] = [];
afterEach(async () => {
  await Promise.all(lists.splice(0).map((list) => list.close()));
});

function localList(now?: () => number): RevocationList {
  const list = createRevocationList(undefined, now ? { now } : {});
  lists.push(list);
  return list;
}

let counter = 0;
const sessionId = () => `session_${Date.now()}_${++counter}`;
const inAMinute = () => Date.now() + 60_000;

describe('the revocation list in one process', () => {
  it('refuses a revoked session until its deadline, and nothing else', async () => {
    let time = 1_000_000;
    const list = localList(() => time);
    await list.revoke('session_a', time + 300_000);
    expect(list.isRevoked('session_a')).toBe(true);
    expect([list.isRevoked('session_b'), list.isRevoked(undefined), list.isRevoked('')]).toEqual([false, false, false]);
    time += 299_999;
    expect(list.isRevoked('session_a')).toBe(true);
    time += 1;
    expect(list.isRevoked('session_a')).toBe(false);
  });

  it('keeps the later deadline when a session is revoked twice, and ignores one already past', async () => {
    let time = 1_000_000;
    const list = localList(() => time);
    await list.revoke('session_a', time + 300_000);
    await list.revoke('session_a', time + 10_000);
    await list.revoke('session_b', time - 1);
    time += 200_000;
    expect(list.isRevoked('session_a')).toBe(true);
    expect(list.isRevoked('session_b')).toBe(false);
  });

  it(`is bounded: at most ${MAX_REVOKED_SESSIONS} revocations, lapsed ones dropped first, then the oldest`, async () => {
    let time = 1_000_000;
    const list = localList(() => time);
    await list.revoke('lapses-soon', time + 10);
    for (let index = 1; index < MAX_REVOKED_SESSIONS; index++) await list.revoke(`session_${index}`, time + 300_000);
    time += 20;
    await list.revoke('one-more', time + 300_000);
    expect(list.isRevoked('session_1')).toBe(true);
    await list.revoke('and-another', time + 300_000);
    expect([list.isRevoked('session_1'), list.isRevoked('session_2'), list.isRevoked('and-another')]).toEqual([false, true, true]);
  });
});

describe('the revocation list in one process, entry by entry', () => {
  /** Entries of the list made last (each list counts itself in the cache report, under revoked-sessions, bounded at 10,000). */
  const size = () => cacheSizes()['revoked-sessions']?.entries.at(-1);

  it('stores nothing for an empty session id or a deadline that is not after now', async () => {
    const time = 1_000_000;
    const list = localList(() => time);
    await list.revoke('', time + 300_000);
    await list.revoke('session_lapsed', time);
    expect(size()).toBe(0);
    expect(cacheSizes()['revoked-sessions']?.max).toBe(10_000);
  });

  it('keeps its order: the same deadline again changes nothing, a later one makes it the newest; lapsed ones go before the oldest', async () => {
    let time = 1_000_000;
    const list = localList(() => time);
    for (const id of ['first', 'lapses', 'second', 'third']) await list.revoke(id, time + (id === 'lapses' ? 100 : 300_000));
    await list.revoke('first', time + 300_000);
    await list.revoke('second', time + 400_000);
    // Oldest to newest: first, lapses, third, second.
    for (let index = 5; index <= 10_000; index++) await list.revoke(`session_${index}`, time + 300_000);
    expect(size()).toBe(10_000);
    // `lapses` lapses at this very millisecond: it makes the room, the oldest stays.
    time += 100;
    await list.revoke('one-more', time + 300_000);
    expect([list.isRevoked('first'), size()]).toEqual([true, 10_000]);
    // Full: the oldest goes, one at a time.
    await list.revoke('another', time + 300_000);
    expect([list.isRevoked('first'), list.isRevoked('third'), size()]).toEqual([false, true, 10_000]);
    await list.revoke('yet-another', time + 300_000);
    expect([list.isRevoked('third'), list.isRevoked('second'), list.isRevoked('session_5'), size()]).toEqual([false, true, true, 10_000]);
  });
});

describe('revokedUntil', () => {
  it('is one access-token lifetime (exp − iat) from now: every token issued so far has expired by then', () => {
    const session = { accessTokenIssuedAt: new Date(1_000_000), accessTokenExpiresAt: new Date(1_000_000 + 600_000) };
    expect(revokedUntil(session, 5_000_000)).toBe(5_600_000);
  });

  it("falls back to WorkOS' default lifetime (5 minutes) for a token that does not say when it was issued", () => {
    expect(revokedUntil({ accessTokenIssuedAt: undefined, accessTokenExpiresAt: new Date(1_000_000) }, 5_000_000)).toBe(5_300_000);
  });
});

describe('the revocation list shared through Redis (two instances)', () => {
  const redis = withRedisServer();

  function instance(url = redis.server.url): RevocationList {
    const list = createRevocationList({ connection: redis.connect(url), url, timeouts: TEST_REDIS_TIMEOUTS });
    lists.push(list);
    return list;
  }

  /** A list subscribed through the real server whose reads of the sorted set fail: it retries them, every CATCH_UP_RETRY_MS (1 s). */
  function listWhoseReadsFail() {
    const reads: number[] = [];
    const failing = { attempt: async () => (reads.push(performance.now()), { ok: false as const }), close: async () => {} };
    const list = createRevocationList({ connection: failing, url: redis.server.url, timeouts: TEST_REDIS_TIMEOUTS });
    lists.push(list);
    return { list, reads };
  }

  it('stops retrying a failed read once closed', async () => {
    const { list, reads } = listWhoseReadsFail();
    await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 20 });
    // Read once on subscribing, then once a second.
    expect(reads[1]! - reads[0]!).toBeGreaterThanOrEqual(990);
    await list.close();
    const afterClose = reads.length;
    // One and a half retry periods with nothing read.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(reads.length).toBe(afterClose);
  });

  it('keeps one retry going when it subscribes again meanwhile: a second second apart, never two', async () => {
    const { reads } = listWhoseReadsFail();
    await vi.waitFor(() => expect(reads.length).toBe(1), { timeout: 5_000, interval: 5 });
    // The server drops the subscription; the list subscribes again and reads again, with its retry still pending.
    await redis.inspector.clientKill({ filter: 'TYPE', type: 'pubsub' });
    await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(5), { timeout: 8_000, interval: 20 });
    const gaps = reads.slice(2).map((at, index) => at - reads[index + 1]!);
    expect(gaps.filter((gap) => gap < 990)).toEqual([]);
  });

  it('tells every instance within a second; a lookup then needs no Redis (it answers with the server paused)', async () => {
    const [one, two] = [instance(), instance()];
    await vi.waitFor(async () =>
      expect(await redis.inspector.pubSubNumSub('authkit:revoked-sessions')).toEqual({ 'authkit:revoked-sessions': 2 }),
    );
    const id = sessionId();
    const { ms } = await timed(async () => {
      await one.revoke(id, inAMinute());
      await vi.waitFor(() => expect(two.isRevoked(id)).toBe(true), { timeout: 1_000, interval: 5 });
    });
    expect(ms).toBeLessThan(1_000);
    redis.server.pause();
    const lookup = await timed(async () => two.isRevoked(id));
    expect(lookup).toMatchObject({ value: true });
    expect(lookup.ms).toBeLessThan(5);
  });

  it('keeps the list in a sorted set (session id → deadline) that expires with its last entry, lapsed entries dropped', async () => {
    const list = instance();
    const [lapsing, lasting] = [sessionId(), sessionId()];
    await list.revoke(lapsing, Date.now() + 50);
    const until = inAMinute();
    await list.revoke(lasting, until);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await list.revoke(sessionId(), Date.now() + 1_000);
    expect(await redis.inspector.zScore('authkit:revoked-sessions', lasting)).toBe(until);
    expect(await redis.inspector.zScore('authkit:revoked-sessions', lapsing)).toBeNull();
    expect(await redis.inspector.pExpireTime('authkit:revoked-sessions')).toBe(until);
  });

  it('keeps at most 10,000 revocations in Redis: the 10,000th joins them all, the 10,001st drops the one that lapses first', async () => {
    const key = 'authkit:revoked-sessions';
    const until = inAMinute();
    await redis.inspector.del(key);
    // 9,999 revocations other instances made, lapsing one millisecond apart.
    await redis.inspector.zAdd(
      key,
      Array.from({ length: 9_999 }, (_, index) => ({ score: until + index, value: `session_bound_${index}` })),
    );
    const list = instance();
    await list.revoke('session_10000th', until + 20_000);
    expect([await redis.inspector.zCard(key), await redis.inspector.zScore(key, 'session_bound_0')]).toEqual([10_000, until]);
    await list.revoke('session_10001st', until + 20_001);
    expect([await redis.inspector.zCard(key), await redis.inspector.zScore(key, 'session_bound_0')]).toEqual([10_000, null]);
    expect(await redis.inspector.zRange(key, 0, 0)).toEqual(['session_bound_1']);
    expect(await redis.inspector.zRange(key, -2, -1)).toEqual(['session_10000th', 'session_10001st']);
    // The instances of the next tests need not read them all.
    await redis.inspector.del(key);
  });

  it('an instance that starts later reads what was revoked before', async () => {
    const id = sessionId();
    await instance().revoke(id, inAMinute());
    const late = instance();
    await vi.waitFor(() => expect(late.isRevoked(id)).toBe(true), { timeout: 1_000, interval: 5 });
  });

  it('an instance whose subscription was cut reads what it missed when it is back', async () => {
    const [one, two] = [instance(), instance()];
    await vi.waitFor(async () =>
      expect(await redis.inspector.pubSubNumSub('authkit:revoked-sessions')).toEqual({ 'authkit:revoked-sessions': 2 }),
    );
    const [id, until] = [sessionId(), inAMinute()];
    // Both subscriptions cut, and a revocation written as `revoke` writes it, in one transaction: nobody can hear it
    // (PUBLISH answers 0 receivers), however fast the instances reconnect.
    const [, , receivers] = await redis.inspector
      .multi()
      .clientKill({ filter: 'TYPE', type: 'pubsub' })
      .zAdd('authkit:revoked-sessions', { score: until, value: id })
      .publish('authkit:revoked-sessions', `${until} ${id}`)
      .exec();
    expect(receivers).toBe(0);
    expect([one.isRevoked(id), two.isRevoked(id)]).toEqual([false, false]);
    await vi.waitFor(() => expect([one.isRevoked(id), two.isRevoked(id)]).toEqual([true, true]), { timeout: 2_000, interval: 5 });
  });

  it('ignores a message it cannot read or whose deadline has passed', async () => {
    const list = instance();
    await vi.waitFor(async () =>
      expect(await redis.inspector.pubSubNumSub('authkit:revoked-sessions')).toEqual({ 'authkit:revoked-sessions': 1 }),
    );
    const published = [sessionId(), `x ${sessionId()}`, `${Date.now() - 1} ${sessionId()}`];
    for (const message of published) await redis.inspector.publish('authkit:revoked-sessions', message);
    await redis.inspector.publish('authkit:revoked-sessions', `${inAMinute()} session_marker`);
    await vi.waitFor(() => expect(list.isRevoked('session_marker')).toBe(true), { timeout: 1_000, interval: 5 });
    expect(published.map((message) => list.isRevoked(message.split(' ').at(-1)))).toEqual([false, false, false]);
  });

  it('with Redis unreachable, a revocation still holds in this process, within the bound, and never throws', async () => {
    const list = instance(`redis://127.0.0.1:${await freePort()}`);
    const id = sessionId();
    const { ms } = await timed(() => list.revoke(id, inAMinute()));
    expect(ms).toBeLessThan(TEST_REDIS_TIMEOUTS.connectTimeoutMs * BOUND_MARGIN);
    expect(list.isRevoked(id)).toBe(true);
  });
});
