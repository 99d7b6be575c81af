/**
 * WorkOS' published OpenAPI document (npm `@workos/openapi-spec`, OpenAPI
 * 3.1.1): a response validator for the conformance tests, and the request
 * body validator the mock's API handlers answer 422 with (so a body the spec
 * refuses is refused the same way, without a hand-written check per field).
 *
 * The whole document is registered with Ajv (JSON Schema 2020-12, the dialect
 * of OpenAPI 3.1) under one id, so each response schema is compiled straight
 * from its place in the document and its document-local `$ref`s resolve as
 * written: nothing is copied by hand.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';

const SPEC_ID = 'workos-openapi';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

interface OpenApiResponse {
  description?: string;
  headers?: Record<string, { schema?: object }>;
  content?: Record<string, { schema?: object }>;
}

interface OpenApiOperation {
  operationId?: string;
  requestBody?: { $ref?: string; content?: Record<string, { schema?: object }> };
  responses?: Record<string, OpenApiResponse>;
}

interface OpenApiDocument {
  openapi: string;
  info?: { version?: string };
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
}

/** One field a request body got wrong, as the mock answers it in `errors` (see describeBodyErrors). */
export interface BodyFieldError {
  field: string;
  code: string;
  message: string;
}

/** Keywords that only say "some branch failed"; the branch's own errors say what. */
const COMBINATOR_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', 'not']);

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String((error.params as { additionalProperty: string }).additionalProperty));
  return path.join('.') || 'body';
}

const CODE_BY_KEYWORD: Record<string, string> = {
  required: 'required',
  type: 'invalid_type',
  maxLength: 'too_long',
  minLength: 'too_short',
  maxItems: 'too_many_items',
  minItems: 'too_few_items',
  maximum: 'too_large',
  minimum: 'too_small',
  maxProperties: 'too_many_properties',
  additionalProperties: 'not_allowed',
};

/**
 * Ajv's errors as field errors: one per field and problem, the branch noise of
 * oneOf/anyOf left out (a body sending two mutually exclusive fields gets one
 * `mutually_exclusive` error instead).
 */
function describeBodyErrors(errors: readonly ErrorObject[]): BodyFieldError[] {
  const described = new Map<string, BodyFieldError>();
  for (const error of errors) {
    if (COMBINATOR_KEYWORDS.has(error.keyword)) continue;
    const field = fieldOf(error);
    const code = `${field.replaceAll('.', '_')}_${CODE_BY_KEYWORD[error.keyword] ?? 'invalid'}`;
    described.set(`${field} ${code}`, { field, code, message: `${field} ${error.message ?? error.keyword}.` });
  }
  if (described.size === 0 && errors.some((error) => error.keyword === 'not')) {
    return [{ field: 'body', code: 'mutually_exclusive', message: 'The body sends fields that exclude each other.' }];
  }
  if (described.size === 0 && errors.length > 0) {
    return [{ field: 'body', code: 'body_invalid', message: 'The body does not match the request schema.' }];
  }
  return [...described.values()];
}

let shared: WorkOSOpenApiSpec | undefined;

export interface ResponseUnderTest {
  /** The spec's path template, e.g. `/user_management/users/{id}`. */
  path: string;
  method: HttpMethod;
  status: number;
  headers: Headers;
  /** The body as text (parsed as JSON when the spec documents a JSON body). */
  body: string;
}

export type ValidationResult = { ok: true } | { ok: false; problems: string[] };

/** JSON pointer escaping (RFC 6901) for one path segment. */
const pointerSegment = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);

export class WorkOSOpenApiSpec {
  /** The OpenAPI version of the document (3.1.1). */
  readonly version: string;
  /** The npm package's version (`@workos/openapi-spec`). */
  readonly packageVersion: string;
  readonly #document: OpenApiDocument;
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  private constructor(document: OpenApiDocument, packageVersion: string) {
    this.#document = document;
    this.version = document.openapi;
    this.packageVersion = packageVersion;
    // strict: false because OpenAPI adds keywords JSON Schema does not know (`example`, `deprecated` as data…).
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema(document as object, SPEC_ID);
  }

  /** One copy per process, loaded on first use (the mock's handlers and the tests share it). */
  static shared(): WorkOSOpenApiSpec {
    shared ??= WorkOSOpenApiSpec.load();
    return shared;
  }

  /** Reads `open-api-spec.yaml` from the installed package. */
  static load(): WorkOSOpenApiSpec {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@workos/openapi-spec/spec');
    const { version } = require('@workos/openapi-spec/package.json') as { version: string };
    // js-yaml parses this 1.1 MB file in about 0.5 s (the `yaml` package takes about 4 s for the same document).
    return new WorkOSOpenApiSpec(load(readFileSync(file, 'utf8')) as OpenApiDocument, version);
  }

  /** The statuses the spec documents for an operation, or undefined if the operation is not in the spec. */
  documentedStatuses(path: string, method: HttpMethod): string[] | undefined {
    const responses = this.#document.paths[path]?.[method]?.responses;
    return responses ? Object.keys(responses) : undefined;
  }

  /** Every operation in the spec, as `{method, path}` (path templates as the spec writes them). */
  operations(): { method: HttpMethod; path: string }[] {
    return Object.entries(this.#document.paths).flatMap(([path, operations]) =>
      HTTP_METHODS.filter((method) => operations[method]).map((method) => ({ method, path })),
    );
  }

  /** The event types `GET /events` can list (the `event` of each payload the spec describes). */
  eventTypes(): Set<string> {
    const list = this.#resolve(this.#document.paths['/events']?.get?.responses?.['200']?.content?.['application/json']?.schema);
    const item = this.#resolve((list?.properties as Record<string, { items?: object }> | undefined)?.data?.items);
    const variants = this.#resolve((item?.allOf as object[] | undefined)?.[1])?.oneOf as object[] | undefined;
    const types = new Set<string>();
    for (const variant of variants ?? []) {
      const event = (this.#resolve(variant)?.properties as Record<string, { const?: unknown }> | undefined)?.event?.const;
      if (typeof event === 'string') types.add(event);
    }
    return types;
  }

  /** The `grant_type` values the request body of a token endpoint accepts (one per branch of its oneOf). */
  requestGrantTypes(path: string): Set<string> {
    const body = this.#resolve(this.#document.paths[path]?.post?.requestBody);
    const content = body?.content as Record<string, { schema?: object }> | undefined;
    const branches = (this.#resolve(content?.['application/json']?.schema)?.oneOf as object[] | undefined) ?? [];
    const grants = new Set<string>();
    for (const branch of branches) {
      const grant = (this.#resolve(branch)?.properties as Record<string, { const?: unknown }> | undefined)?.grant_type?.const;
      if (typeof grant === 'string') grants.add(grant);
    }
    return grants;
  }

  #resolve(schema: object | undefined): Record<string, unknown> | undefined {
    let current = schema as Record<string, unknown> | undefined;
    while (current && typeof current.$ref === 'string') {
      current = (current.$ref as string)
        .slice(2)
        .split('/')
        .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], this.#document) as Record<string, unknown>;
    }
    return current;
  }

  /**
   * Checks a JSON request body against the operation's request schema: the
   * field errors, or [] when it conforms (or the spec gives no JSON body).
   */
  requestBodyErrors(path: string, method: HttpMethod, body: unknown): BodyFieldError[] {
    const requestBody = this.#document.paths[path]?.[method]?.requestBody;
    if (!requestBody) return [];
    const pointer = requestBody.$ref
      ? `${requestBody.$ref.slice(1)}/content/application~1json/schema`
      : `/paths/${pointerSegment(path)}/${method}/requestBody/content/application~1json/schema`;
    if (!(this.#resolve(requestBody)?.content as Record<string, unknown> | undefined)?.['application/json']) return [];
    const validate = this.#validator(pointer);
    return validate(body) ? [] : describeBodyErrors(validate.errors ?? []);
  }

  #validator(pointer: string): ValidateFunction {
    let validate = this.#compiled.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
      this.#compiled.set(pointer, validate);
    }
    return validate;
  }

  /**
   * Checks one response against the operation: its status must be documented,
   * a documented JSON body must match its schema, and documented headers
   * that are present must match theirs.
   */
  validate(response: ResponseUnderTest): ValidationResult {
    const { path, method, status } = response;
    const statuses = this.documentedStatuses(path, method);
    if (!statuses) return { ok: false, problems: [`${method.toUpperCase()} ${path} is not in the spec`] };
    const statusKey = String(status);
    const documented = this.#document.paths[path]?.[method]?.responses?.[statusKey];
    if (!documented) {
      return {
        ok: false,
        problems: [`status ${status} is not documented for ${method.toUpperCase()} ${path} (documented: ${statuses.join(', ')})`],
      };
    }
    const base = `/paths/${pointerSegment(path)}/${method}/responses/${statusKey}`;
    const problems: string[] = [];

    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null || !header.schema) continue;
      const validate = this.#validator(`${base}/headers/${pointerSegment(name)}/schema`);
      if (!validate(value)) problems.push(...describeErrors(validate.errors).map((problem) => `header ${name}: ${problem}`));
    }

    const jsonSchema = documented.content?.['application/json']?.schema;
    if (jsonSchema) {
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('application/json')) problems.push(`content-type is "${contentType}", the spec documents application/json`);
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        problems.push(`body is not JSON: ${response.body.slice(0, 120)}`);
        return { ok: false, problems };
      }
      const validate = this.#validator(`${base}/content/application~1json/schema`);
      if (!validate(body)) problems.push(...describeErrors(validate.errors));
    }
    return problems.length === 0 ? { ok: true } : { ok: false, problems };
  }
}
