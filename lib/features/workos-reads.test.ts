import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnexpectedWorkOSAnswerError } from '@/lib/auth';
import { readForPanel } from './workos-reads';

afterEach(() => vi.restoreAllMocks());

describe('readForPanel', () => {
  it('passes a value through', async () => {
    await expect(readForPanel('list_things', 'user_1', async () => 42)).resolves.toEqual({ ok: true, value: 42 });
  });

  it('never rejects: a failure is { ok: false } and one warning line with the reason and the fields', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const odd = await readForPanel('list_things', 'user_1', async () => {
      throw new UnexpectedWorkOSAnswerError('list_things', ['data.0.name']);
    });
    const thrown = await readForPanel('list_things', 'user_1', () => {
      throw new TypeError("Cannot read properties of null (reading 'map')");
    });

    expect([odd, thrown]).toEqual([{ ok: false }, { ok: false }]);
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'workos_read_failed',
        read: 'list_things',
        userId: 'user_1',
        reason: 'UnexpectedWorkOSAnswerError code=unexpected_answer',
        fields: ['data.0.name'],
      }),
      expect.not.objectContaining({ fields: expect.anything() }),
    ]);
    expect(JSON.parse(String(warn.mock.calls[1]?.[0]))).toMatchObject({ reason: 'TypeError' });
  });
});
