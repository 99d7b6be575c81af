import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { UnexpectedWorkOSAnswerError, parseWorkOSAnswer, readForPanel } from './workos-reads';

const answer = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) });

afterEach(() => vi.restoreAllMocks());

describe('parseWorkOSAnswer', () => {
  it('returns the answer typed when it has the fields the app uses', () => {
    expect(parseWorkOSAnswer('list_things', answer, { data: [{ id: 'a', name: 'A', extra: 1 }] })).toEqual({
      data: [{ id: 'a', name: 'A' }],
    });
  });

  it('names every field that differs, once, and never a value', () => {
    const read = () => parseWorkOSAnswer('list_things', answer, { data: [{ id: 'a' }, { id: 7, name: null }, { id: 'c' }] });
    expect(read).toThrow(UnexpectedWorkOSAnswerError);
    expect(read).toThrow('WorkOS answered list_things with an unexpected shape at data.0.name, data.1.id, data.1.name, data.2.name');
    expect(() => parseWorkOSAnswer('list_things', answer, null)).toThrow('at (root)');
  });
});

describe('readForPanel', () => {
  it('passes a value through', async () => {
    await expect(readForPanel('list_things', 'user_1', async () => 42)).resolves.toEqual({ ok: true, value: 42 });
  });

  it('never rejects: a failure is { ok: false } and one warning line with the reason and the fields', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const odd = await readForPanel('list_things', 'user_1', async () => parseWorkOSAnswer('list_things', answer, { data: [{ id: 'a' }] }));
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
