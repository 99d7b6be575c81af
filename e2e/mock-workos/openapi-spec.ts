/**
 * WorkOS' published OpenAPI document (npm `@workos/openapi-spec`, OpenAPI
 * 3.1.1) as a response validator, for the mock's conformance test.
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

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface OpenApiResponse {
  description?: string;
  headers?: Record<string, { schema?: object }>;
  content?: Record<string, { schema?: object }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<HttpMethod, { responses?: Record<string, OpenApiResponse> }>>>;
}

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
  readonly version: string;
  readonly #document: OpenApiDocument;
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  private constructor(document: OpenApiDocument) {
    this.#document = document;
    this.version = document.openapi;
    // strict: false because OpenAPI adds keywords JSON Schema does not know (`example`, `deprecated` as data…).
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema(document as object, SPEC_ID);
  }

  /** Reads `open-api-spec.yaml` from the installed package. */
  static load(): WorkOSOpenApiSpec {
    const file = createRequire(import.meta.url).resolve('@workos/openapi-spec/spec');
    // js-yaml parses this 1.1 MB file in about 0.5 s (the `yaml` package takes about 4 s for the same document).
    return new WorkOSOpenApiSpec(load(readFileSync(file, 'utf8')) as OpenApiDocument);
  }

  /** The statuses the spec documents for an operation, or undefined if the operation is not in the spec. */
  documentedStatuses(path: string, method: HttpMethod): string[] | undefined {
    const responses = this.#document.paths[path]?.[method]?.responses;
    return responses ? Object.keys(responses) : undefined;
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
