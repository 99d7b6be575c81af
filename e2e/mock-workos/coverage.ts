/**
 * The SDK coverage table: every method of the pinned `@workos-inc/node`
 * modules an app builds on (userManagement, organizations, the organization
 * roles of authorization, multiFactorAuth, events, apiKeys, webhooks) → the HTTP call it makes →
 * served by the mock or not, and why. Generated, not written:
 *
 * - the methods are the SDK's own (its classes' prototypes; `private` ones read
 *   from its type declarations), the call each makes is read from its source
 *   (`this.workos.get(\`/organizations/${…}\`)`, the grant of each
 *   authenticate serializer);
 * - the endpoint is matched to a path of `@workos/openapi-spec`; one that is
 *   not there is not served, and says so;
 * - served means a handler of the mock answers that method and path (for the
 *   token endpoint: the grant is one it runs).
 *
 * An endpoint in the spec that the mock does not serve needs a reason in
 * NOT_SERVED below, or generating fails. `npm run mock:coverage` writes the
 * table into README.md; coverage.test.ts fails when the README is stale and
 * probes every endpoint the table calls served.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkOS } from '@workos-inc/node';
import { format, resolveConfig } from 'prettier';
import { SUPPORTED_GRANTS, UNSUPPORTED_GRANTS } from './handlers/authentication.ts';
import { createMockWorkOSHandlers } from './handlers/index.ts';
import { WorkOSOpenApiSpec, type HttpMethod } from './openapi-spec.ts';
import { createMockWorkOSStore } from './server.ts';

const SDK_MODULES = ['userManagement', 'organizations', 'authorization', 'multiFactorAuth', 'events', 'apiKeys', 'webhooks'] as const;
type SdkModule = (typeof SDK_MODULES)[number];

/** The SDK class behind each module, as its type declarations name it. */
const CLASS_NAMES: Record<SdkModule, string> = {
  userManagement: 'UserManagement',
  organizations: 'Organizations',
  authorization: 'Authorization',
  multiFactorAuth: 'MultiFactorAuth',
  events: 'Events',
  apiKeys: 'ApiKeys',
  webhooks: 'Webhooks',
};

/** Of `authorization` (roles, permissions, resources, FGA…), the organization roles. */
const IN_SCOPE: Partial<Record<SdkModule, RegExp>> = { authorization: /OrganizationRole/ };

/** In the spec, not served: why. Keyed `METHOD /path` (spec template). */
const NOT_SERVED: Record<string, string> = {};

/** What to know about a served method. */
const SERVED_NOTES: Record<string, string> = {
  listGroupsForOrganizationMembership: 'Always an empty list: the mock has no groups (the groups module is not served).',
  authenticateWithOrganizationSelection: 'Reached when `control.setOrganizationSelectionRequired(true)`.',
  getJWKS: 'Fetched when a token is first verified.',
};

/** What a method that makes no request of its own does instead. */
const LOCAL_NOTES: Record<string, string> = {
  getJwksUrl: 'Builds the JWKS URL; `getJWKS` fetches it.',
  getAuthorizationUrl: 'Builds the authorize URL the browser opens (served: `GET /user_management/authorize`).',
  getAuthorizationUrlWithPKCE: 'Builds the authorize URL with a PKCE pair (served: `GET /user_management/authorize`).',
  getLogoutUrl: 'Builds the logout URL the browser opens (served: `GET /user_management/sessions/logout`).',
  loadSealedSession: 'Opens a sealed session cookie locally.',
  authenticateWithSessionCookie: 'Verifies a sealed session cookie locally, with the JWKS from `getJWKS`.',
  getSessionFromCookie: 'Unseals a session cookie locally.',
  verifyHeader: "Checks a delivery's `WorkOS-Signature` locally; the mock signs its deliveries that way (`store/webhooks.ts`).",
  computeSignature: 'Computes a `WorkOS-Signature` hash locally.',
  getTimestampAndSignatureHash: 'Parses a `WorkOS-Signature` header locally.',
  constructEvent: "Checks a delivery's signature locally, then parses its event.",
};

export interface CoverageRow {
  module: SdkModule;
  method: string;
  /** `GET /path/{id}` as the spec writes it, with ` (grant_type)` for the token endpoint; null when it makes no request. */
  endpoint: string | null;
  /** The spec's method and path, when the endpoint is in the spec. */
  operation: { method: HttpMethod; path: string } | null;
  grantType: string | null;
  status: 'served' | 'not served' | 'no request';
  note: string;
}

const sdkDirectory = () => dirname(createRequire(import.meta.url).resolve('@workos-inc/node'));

/** The SDK's bundled source and type declarations (one file each holds the module classes). */
function sdkFiles(): { source: string; declarations: string } {
  const directory = sdkDirectory();
  const files = (suffix: string) =>
    readdirSync(directory)
      .filter((file) => file.startsWith('factory-') && file.endsWith(suffix))
      .map((file) => readFileSync(join(directory, file), 'utf8'))
      .join('\n');
  return { source: files('.mjs'), declarations: files('.d.mts') };
}

/** Members the type declarations mark `private` in `declare class <name> { … }`. */
function privateMembers(declarations: string, className: string): Set<string> {
  const start = declarations.indexOf(`declare class ${className} {`);
  if (start < 0) throw new Error(`coverage: no declaration of class ${className} in the SDK`);
  const body = declarations.slice(start, declarations.indexOf('\n}', start));
  return new Set([...body.matchAll(/^ {2}private (?:readonly |get )?(\w+)/gm)].map((match) => match[1] ?? ''));
}

/** The HTTP call a method's source makes: method and path template (`${…}` → `{}`), and the serializers it calls. */
function callOf(source: string): { method: HttpMethod; template: string } | null {
  const constants = new Map([...source.matchAll(/const (\w+) = (`[^`]*`|"[^"]*")/g)].map((match) => [match[1], match[2]]));
  const literal = (raw: string) => (constants.get(raw) ?? raw).slice(1, -1).replace(/\$\{[^}]*\}/g, '{}');
  const direct = /this\.workos\.(get|post|put|patch|delete)\(\s*(`[^`]*`|"[^"]*"|\w+)/.exec(source);
  if (direct?.[1] && direct[2]) return { method: direct[1] as HttpMethod, template: literal(direct[2]) };
  const list = /fetchAndDeserialize\(this\.workos,\s*(`[^`]*`|"[^"]*"|\w+)/.exec(source);
  if (list?.[1]) return { method: 'get', template: literal(list[1]) };
  if (source.includes('this.getJwksUrl(')) return { method: 'get', template: '/sso/jwks/{}' };
  return null;
}

/** The grant types of the authenticate serializers a method calls. */
function grantTypesOf(source: string, bundle: string): string[] {
  const grants = new Set<string>();
  for (const [, name] of source.matchAll(/(serialize\w+)\(/g)) {
    const start = bundle.indexOf(`const ${name} = `);
    if (start < 0) continue;
    const grant = /grant_type: "([^"]+)"/.exec(bundle.slice(start, start + 400));
    if (grant?.[1]) grants.add(grant[1]);
  }
  return [...grants];
}

const segments = (path: string) => path.split('/').filter(Boolean);
const isParam = (segment: string) => segment.startsWith('{') || segment.startsWith(':');

/** The spec path a concrete template (`{}` or `:name` for parameters) stands for; the most literal match wins. */
export function matchPath(template: string, candidates: readonly string[]): string | undefined {
  const wanted = segments(template);
  let best: { path: string; score: number } | undefined;
  for (const path of candidates) {
    const parts = segments(path);
    if (parts.length !== wanted.length) continue;
    let score = 0;
    const fits = parts.every((part, index) => {
      const segment = wanted[index] ?? '';
      if (isParam(segment)) return isParam(part);
      if (part === segment) {
        score += 1;
        return true;
      }
      return isParam(part);
    });
    if (fits && (!best || score > best.score)) best = { path, score };
  }
  return best?.path;
}

/** `METHOD path` of every WorkOS operation a mock handler answers (spec templates). */
async function servedOperations(spec: WorkOSOpenApiSpec): Promise<Set<string>> {
  const store = await createMockWorkOSStore({ clientId: 'client_coverage', apiKey: 'sk_coverage', redirectUris: ['http://localhost/cb'] });
  const served = new Set<string>();
  const specPaths = [...new Set(spec.operations().map(({ path }) => path))];
  for (const handler of createMockWorkOSHandlers(store)) {
    const { method, path } = handler.info as { method?: unknown; path?: unknown };
    if (typeof method !== 'string' || typeof path !== 'string' || method === 'ALL') continue;
    const specPath = matchPath(path.replace(/^\*/, ''), specPaths);
    if (specPath) served.add(`${method.toUpperCase()} ${specPath}`);
  }
  return served;
}

function specGrantTypes(spec: WorkOSOpenApiSpec): Set<string> {
  return spec.requestGrantTypes('/user_management/authenticate');
}

export async function coverageRows(): Promise<CoverageRow[]> {
  const spec = WorkOSOpenApiSpec.shared();
  const served = await servedOperations(spec);
  const specGrants = specGrantTypes(spec);
  const { source: bundle, declarations } = sdkFiles();
  const workos = new WorkOS('sk_coverage', { clientId: 'client_coverage' });
  const specOperations = spec.operations();
  const specPaths = [...new Set(specOperations.map(({ path }) => path))];
  const rows: CoverageRow[] = [];
  const unexplained: string[] = [];

  for (const sdkModule of SDK_MODULES) {
    const prototype = Object.getPrototypeOf(workos[sdkModule]) as object;
    const privates = privateMembers(declarations, CLASS_NAMES[sdkModule]);
    // A method, or a getter that hands one out (webhooks' verifyHeader): read without calling the getter.
    const functionOf = (name: string) => {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      return typeof descriptor?.value === 'function' ? (descriptor.value as () => unknown) : descriptor?.get;
    };
    const methods = Object.getOwnPropertyNames(prototype).filter(
      (name) => name !== 'constructor' && functionOf(name) !== undefined && (IN_SCOPE[sdkModule]?.test(name) ?? true),
    );
    for (const method of methods) {
      const source = String(functionOf(method));
      const row = (fields: Omit<CoverageRow, 'module' | 'method'>) => rows.push({ module: sdkModule, method, ...fields });
      if (privates.has(method)) {
        row({ endpoint: null, operation: null, grantType: null, status: 'no request', note: 'Private helper of the SDK.' });
        continue;
      }
      const call = callOf(source);
      if (!call) {
        row({
          endpoint: null,
          operation: null,
          grantType: null,
          status: 'no request',
          note: LOCAL_NOTES[method] ?? 'Makes no request of its own.',
        });
        continue;
      }
      const specPath = matchPath(call.template, specPaths);
      const inSpec =
        specPath !== undefined && specOperations.some((operation) => operation.path === specPath && operation.method === call.method);
      const shown = `${call.method.toUpperCase()} ${specPath ?? call.template.replaceAll('{}', '{id}')}`;
      const grants = specPath === '/user_management/authenticate' ? grantTypesOf(source, bundle) : [];
      const grantType = grants.length > 0 ? grants.join(', ') : null;
      const endpoint = grantType ? `${shown} (${grantType})` : shown;
      const operation = inSpec && specPath ? { method: call.method, path: specPath } : null;
      if (!inSpec) {
        row({ endpoint, operation, grantType, status: 'not served', note: `Not in \`@workos/openapi-spec\` ${spec.packageVersion}.` });
        continue;
      }
      if (grantType) {
        const missing = grants.find((grant) => !specGrants.has(grant));
        if (missing) {
          row({ endpoint, operation, grantType, status: 'not served', note: `The spec's token endpoint has no \`${missing}\` grant.` });
          continue;
        }
        const unsupported = grants.find((grant) => !SUPPORTED_GRANTS.includes(grant));
        if (unsupported) {
          row({
            endpoint,
            operation,
            grantType,
            status: 'not served',
            note: `Answers 400 \`unauthorized_client\`: ${UNSUPPORTED_GRANTS[unsupported] ?? 'not run'}.`,
          });
          continue;
        }
      }
      if (served.has(shown)) {
        row({ endpoint, operation, grantType, status: 'served', note: SERVED_NOTES[method] ?? '' });
        continue;
      }
      const reason = NOT_SERVED[shown];
      if (!reason) unexplained.push(`${sdkModule}.${method} → ${shown}`);
      row({ endpoint, operation, grantType, status: 'not served', note: reason ?? '' });
    }
  }
  if (unexplained.length > 0) {
    throw new Error(`coverage: in the spec but neither served nor explained in NOT_SERVED (coverage.ts):\n  ${unexplained.join('\n  ')}`);
  }
  return rows;
}

const START = '<!-- sdk-coverage:start (generated by `npm run mock:coverage`; do not edit) -->';
const END = '<!-- sdk-coverage:end -->';

export function coverageMarkdown(rows: readonly CoverageRow[], sdkVersion: string, specVersion: string): string {
  const count = (status: CoverageRow['status']) => rows.filter((row) => row.status === status).length;
  const lines = [
    `\`@workos-inc/node\` ${sdkVersion}, \`@workos/openapi-spec\` ${specVersion}: ${rows.length} methods, **${count('served')} served**, ` +
      `${count('no request')} make no request of their own, ${count('not served')} not served (the reason is on each row).`,
    '',
    '| Module | Method | Endpoint | Served | Note |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.module} | \`${row.method}\` | ${row.endpoint ? `\`${row.endpoint}\`` : '—'} | ${row.status === 'served' ? 'yes' : row.status === 'no request' ? '—' : '**no**'} | ${row.note} |`,
    ),
  ];
  return lines.join('\n');
}

export const README_PATH = join(dirname(fileURLToPath(import.meta.url)), 'README.md');

/** README.md with the coverage table (between the markers) regenerated and the whole file formatted by Prettier. */
export async function readmeWithCoverage(readme: string): Promise<string> {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`coverage: README.md has no ${START} … ${END} section`);
  const rows = await coverageRows();
  const sdkVersion = (createRequire(import.meta.url)('@workos-inc/node/package.json') as { version: string }).version;
  const table = coverageMarkdown(rows, sdkVersion, WorkOSOpenApiSpec.shared().packageVersion);
  const updated = `${readme.slice(0, start + START.length)}\n\n${table}\n\n${readme.slice(end)}`;
  return format(updated, { ...(await resolveConfig(README_PATH)), filepath: README_PATH });
}

if (import.meta.main) {
  const readme = readFileSync(README_PATH, 'utf8');
  const updated = await readmeWithCoverage(readme);
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('e2e/mock-workos/README.md: the SDK coverage table is stale. Run npm run mock:coverage.');
      process.exit(1);
    }
  } else {
    writeFileSync(README_PATH, updated);
    console.log('e2e/mock-workos/README.md: SDK coverage table written.');
  }
}
