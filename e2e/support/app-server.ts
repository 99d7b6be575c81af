/**
 * `next start` for the e2e run, with the server's log in a file instead of
 * between the test results (thousands of lines: a JSON line per auth event,
 * nearly all provoked on purpose).
 *
 *   node e2e/support/app-server.ts <port> <log file>
 *
 * A script rather than a shell redirection so the same webServer command
 * works in cmd.exe. If the server stops by itself (it could not start), the
 * log's last lines are printed so the reason is not hidden in the file.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const TAIL_LINES = 30;
const [port, logFile] = process.argv.slice(2);
if (!port || !logFile) {
  console.error('usage: node e2e/support/app-server.ts <port> <log file>');
  process.exit(2);
}

mkdirSync(path.dirname(logFile), { recursive: true });
const log = createWriteStream(logFile);
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const server = spawn(process.execPath, [nextBin, 'start', '-p', port], { stdio: ['ignore', 'pipe', 'pipe'] });
server.stdout.pipe(log, { end: false });
server.stderr.pipe(log, { end: false });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    server.kill(signal);
  });
}

server.on('exit', (code, signal) => {
  log.end(() => {
    if (!stopping) {
      const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
      console.error(`next start stopped (${signal ?? `exit ${code}`}); the end of ${logFile}:\n${tail}`);
    }
    process.exit(code ?? 1);
  });
});
