// Runs once when a server process starts, before it serves a request. This is
// the check every server gets, including `node .next/standalone/server.js`,
// which never reads next.config.js, and a `next start` of a build made with
// WORKOS_BUILD_WITHOUT_CONFIG=1: the same one message as at build, then exit.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    await (await import('./lib/auth/startup')).startServer();
  }
}
