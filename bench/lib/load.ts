/**
 * One bounded autocannon run: a fixed number of requests, cut off after
 * `maxSeconds` whatever happens. Latencies come from autocannon's per-response
 * event (float milliseconds), because its histogram rounds to whole ms and the
 * proxy's cost is well under one.
 */
import autocannon from 'autocannon';
import { percentile } from './stats.ts';

export interface LoadOptions {
  url: string;
  cookie?: string;
  /** More request headers (an `Authorization: Bearer` token). */
  headers?: Record<string, string>;
  /** The status a response must have to count as answered (its latency sampled): 2xx by default. */
  expectStatus?: number;
  connections: number;
  amount: number;
  maxSeconds: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  rps: number;
  latenciesMs: number[];
  p50: number;
  p99: number;
}

const active = new Set<{ stop(): void }>();

/** Stops runs still in flight (Ctrl-C). */
export function stopAllLoad(): void {
  for (const instance of active) instance.stop();
}

export function runLoad({ url, cookie, headers = {}, expectStatus, connections, amount, maxSeconds }: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    const started = performance.now();
    // autocannon notices that `amount` is reached only on its next 1 s sample
    // tick, so its own end time (and anything timed around its callback) rounds
    // a run up to whole seconds: 250 requests in 1.2 s would read as 125 req/s.
    // Time the run to its last response instead.
    let lastResponseAt = started;
    let expected = 0;
    const instance = autocannon(
      { url, connections, amount, timeout: 10, headers: { ...headers, ...(cookie ? { cookie } : {}) } },
      (error, result) => {
        clearTimeout(watchdog);
        active.delete(instance);
        if (error) return reject(error);
        const seconds = (lastResponseAt - started) / 1000;
        const requests = result['2xx'] + result.non2xx;
        resolve({
          requests,
          ok: expectStatus === undefined ? result['2xx'] : expected,
          non2xx: expectStatus === undefined ? result.non2xx : requests - expected,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds,
          rps: seconds > 0 ? requests / seconds : 0,
          latenciesMs,
          p50: percentile(latenciesMs, 50),
          p99: percentile(latenciesMs, 99),
        });
      },
    );
    active.add(instance);
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      lastResponseAt = performance.now();
      const answered = expectStatus === undefined ? statusCode >= 200 && statusCode < 300 : statusCode === expectStatus;
      if (answered) {
        expected += 1;
        latenciesMs.push(responseTime);
      }
    });
    const watchdog = setTimeout(() => instance.stop(), maxSeconds * 1000);
  });
}
