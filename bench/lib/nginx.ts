/**
 * nginx as a real round-robin load balancer in front of two app instances.
 * Started in the foreground (daemon off) with a config written to a temp dir,
 * listening on 127.0.0.1 only, and stopped with the rest of the benchmark.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SYSTEM_PACKAGES, findOnPath, installCommand, installWithApt } from '../../test/system-packages.ts';
import { startProcess, waitForHttp, type ManagedProcess } from './processes.ts';

const installHint = () =>
  `nginx is needed for the scale-out benchmark: install it with \`${installCommand(SYSTEM_PACKAGES.nginx) ?? 'apt-get install -y nginx'}\`, or skip the phase with \`npm run bench -- --skip=scaleout\`.`;

function findNginx(): string | undefined {
  return (
    findOnPath('nginx') ??
    ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/opt/homebrew/bin/nginx', '/usr/local/bin/nginx'].find((candidate) =>
      existsSync(candidate),
    )
  );
}

/** The nginx binary; installs it with apt-get when running as root where apt exists (test/system-packages.ts), else explains how. */
export function ensureNginx(log: (line: string) => void): string {
  const found = findNginx();
  if (found) return found;
  if (!installWithApt(SYSTEM_PACKAGES.nginx, { allowed: process.env.BENCH_NO_INSTALL !== '1', log: (line) => log(`  ${line}`) })) {
    throw new Error(installHint());
  }
  const installed = findNginx();
  if (!installed) throw new Error(`apt-get installed nginx, but no nginx binary was found. ${installHint()}`);
  return installed;
}

export interface LoadBalancer {
  url: string;
  process: ManagedProcess;
}

export async function startLoadBalancer(
  nginx: string,
  { port, upstreamPorts, dir }: { port: number; upstreamPorts: number[]; dir: string },
): Promise<LoadBalancer> {
  mkdirSync(dir, { recursive: true });
  const temp = (name: string) => path.join(dir, name);
  const config = `# Written by bench/lib/nginx.ts for one benchmark run.
daemon off;
worker_processes 1;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  upstream app {
    # Round robin (nginx's default): consecutive requests alternate between instances.
${upstreamPorts.map((upstream) => `    server 127.0.0.1:${upstream} max_fails=0;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      # The sealed session cookie makes response headers larger than nginx's 4 KB default.
      proxy_buffer_size 16k;
      proxy_buffers 8 16k;
      proxy_next_upstream off;
      add_header X-Bench-Upstream $upstream_addr always;
    }
  }
}
`;
  const configFile = temp('nginx.conf');
  writeFileSync(configFile, config);
  const managed = startProcess('nginx', nginx, ['-p', dir, '-e', temp('error.log'), '-c', configFile], {
    env: process.env,
    logFile: temp('nginx.out'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, managed, 20_000);
  return { url, process: managed };
}
