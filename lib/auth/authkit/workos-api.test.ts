import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UnexpectedWorkOSAnswerError, parseWorkOSAnswer } from './workos-api';

const answer = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) });

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
