import { describe, expect, it } from 'vitest';
import { isBenchControlRouteEnabled } from './fixture';

describe('isBenchControlRouteEnabled', () => {
  it('is off unless BENCH_CONTROL_ROUTE is exactly "1"', () => {
    expect(isBenchControlRouteEnabled({})).toBe(false);
    expect(isBenchControlRouteEnabled({ BENCH_CONTROL_ROUTE: 'true' })).toBe(false);
    expect(isBenchControlRouteEnabled({ BENCH_CONTROL_ROUTE: '0' })).toBe(false);
    expect(isBenchControlRouteEnabled({ BENCH_CONTROL_ROUTE: '1' })).toBe(true);
  });
});
