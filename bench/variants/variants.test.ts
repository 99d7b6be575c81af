import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { config as productProxyConfig } from '../../proxy';
import { ABLATION_PEER_IDS, OVERLAYS, PEER_IDS, applyOverlay, type BuiltPeerId } from '../lib/variants.ts';
import { config as authkitProxyConfig } from './authkit-proxy';
import { config as noOpProxyConfig } from './no-op-proxy';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EDITED = [
  'proxy.ts',
  'app/layout.tsx',
  'app/dashboard/page.tsx',
  'instrumentation.ts',
  'lib/auth/session/proxy.ts',
  'lib/auth/authkit/proxy-session.ts',
];
const ALL_PEERS: BuiltPeerId[] = [...PEER_IDS, ...ABLATION_PEER_IDS];

describe('bench peer builds', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The files an overlay touches, copied from the repo, with the overlay applied. */
  function overlaid(peer: BuiltPeerId): (file: string) => string | undefined {
    const dir = mkdtempSync(path.join(os.tmpdir(), `bench-overlay-${peer}-`));
    dirs.push(dir);
    for (const file of EDITED) cpSync(path.join(ROOT, file), path.join(dir, file));
    applyOverlay(ROOT, dir, OVERLAYS[peer]);
    return (file) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : undefined);
  }

  it('put the peer proxies on exactly the product matcher', () => {
    expect(noOpProxyConfig.matcher).toEqual(productProxyConfig.matcher);
    expect(authkitProxyConfig.matcher).toEqual(productProxyConfig.matcher);
  });

  it('apply to the current sources: each peer gets its proxy, page and layout', () => {
    const read = Object.fromEntries(ALL_PEERS.map((peer) => [peer, overlaid(peer)])) as Record<
      BuiltPeerId,
      (file: string) => string | undefined
    >;
    const source = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

    // (o) is the product, plus the cache report on SIGUSR2.
    for (const file of [
      'proxy.ts',
      'app/layout.tsx',
      'app/dashboard/page.tsx',
      'lib/auth/session/proxy.ts',
      'lib/auth/authkit/proxy-session.ts',
    ])
      expect(read.o(file)).toBe(source(file));
    expect(read.o('instrumentation.ts')).toContain("(await import('./bench/variants/cache-report')).installCacheReport();");

    // (m) is (o) with the verified-session memo neither consulted nor filled.
    const MEMO = 'lib/auth/authkit/proxy-session.ts';
    expect(read.m('instrumentation.ts')).toBe(read.o('instrumentation.ts'));
    expect(read.m('lib/auth/session/proxy.ts')).toBe(source('lib/auth/session/proxy.ts'));
    expect(source(MEMO)).toContain('recallVerifiedSession(cookie');
    expect(source(MEMO)).toContain('rememberVerifiedSession(cookie');
    expect(read.m(MEMO)).not.toContain('recallVerifiedSession(');
    expect(read.m(MEMO)).not.toContain('rememberVerifiedSession(');
    expect(read.m(MEMO)).toContain('const remembered = undefined; // (m): the memo is never consulted before the request copy');
    expect(read.m(MEMO)).toContain('const remembered = undefined; // (m): the memo is never consulted');
    expect(read.m(MEMO)).toContain('void result; // (m): nothing is remembered');

    // (f) is (o) with authenticate() replaced by forwarding the cookie unverified.
    expect(read.f('instrumentation.ts')).toBe(read.o('instrumentation.ts'));
    expect(read.f(MEMO)).toBe(source(MEMO));
    expect(source('lib/auth/session/proxy.ts')).toContain('await authenticate(incoming, forwarded, context)');
    expect(read.f('lib/auth/session/proxy.ts')).not.toContain('await authenticate(');
    expect(read.f('lib/auth/session/proxy.ts')).toContain(
      'response = forwardUnverified(incoming, forwarded, context); // (f): no authentication',
    );
    expect(read.f('lib/auth/session/proxy.ts')).toContain(
      'function forwardUnverified(incoming: NextRequest, forwarded: Headers, { config, origin, returnTo }: ProxyContext): NextResponse {',
    );

    expect(read.a('proxy.ts')).toBeUndefined();
    expect(read.n('proxy.ts')).toBe(source('bench/variants/no-op-proxy.ts'));
    expect(read.k('proxy.ts')).toBe(source('bench/variants/authkit-proxy.ts'));
    expect(read.a('app/dashboard/page.tsx')).toBe(source('bench/variants/fixture-dashboard-page.tsx'));
    expect(read.n('app/dashboard/page.tsx')).toBe(source('bench/variants/fixture-dashboard-page.tsx'));
    expect(read.k('app/dashboard/page.tsx')).toBe(source('bench/variants/authkit-dashboard-page.tsx'));
    for (const peer of ['a', 'n', 'k'] as const) {
      expect(read[peer]('app/layout.tsx')).not.toContain('await getSession()');
      expect(read[peer]('app/layout.tsx')).toContain('const session = BENCH_FIXTURE.session;');
      expect(read[peer]('instrumentation.ts')).toBe(source('instrumentation.ts'));
    }
  });

  it('fail naming the file when the product no longer has what an overlay edits', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-overlay-drift-'));
    dirs.push(dir);
    for (const file of EDITED) cpSync(path.join(ROOT, file), path.join(dir, file));
    writeFileSync(
      path.join(dir, 'app/layout.tsx'),
      'export default async function RootLayout() {\n  const session = await readSession();\n}\n',
    );
    expect(() => applyOverlay(ROOT, dir, OVERLAYS.a)).toThrow(
      'bench overlay: expected exactly one `await getSession()` in app/layout.tsx; update bench/lib/variants.ts to follow it',
    );
  });
});
