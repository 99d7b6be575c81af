/**
 * One WorkOS API operation, declared by the spec's own method and path
 * template (`/user_management/users/{id}`), with what every operation does
 * the same way: the request log and faults (handleApiCall), the API key (401
 * without it), the JSON body checked against the spec's request schema (422
 * `invalid_request_parameters` with field errors, so no per-field hand check),
 * and a store error (WorkOSError) answered with its status and body.
 */
import { http, type HttpHandler } from 'msw';
import { WorkOSOpenApiSpec, type HttpMethod } from '../openapi-spec.ts';
import { toListResponse } from '../serializers.ts';
import {
  fieldError,
  invalidParameters,
  WorkOSError,
  type MockEndpoint,
  type MockWorkOSStore,
  type RequestLogEntry,
  type RequestSubject,
} from '../store.ts';
import { paginate, PaginationError } from './pagination.ts';
import { handleApiCall, hasApiKey, jsonResponse, pathFor, unauthorized, type HandlerOptions } from './shared.ts';

type Params = Record<string, string>;
export type Body = Record<string, unknown>;

export interface ApiRequest {
  request: Request;
  params: Params;
  query: URLSearchParams;
  body: Body;
  entry: RequestLogEntry;
}

export interface Operation {
  method: HttpMethod;
  /** The spec's path template. */
  path: string;
  /** The name faults and the request log use. */
  endpoint: MockEndpoint;
  /** Who the call is about (faults match on it; the log records it). */
  subject?: (input: { params: Params; query: URLSearchParams; body: Body }) => RequestSubject;
  /** The status a bad `limit`/`order` gets (the spec documents 400 for some lists, 422 for most). */
  paginationErrorStatus?: number;
}

/** The request's JSON body: {} when empty; a WorkOSError (422) when it is not a JSON object. */
async function readJsonObject(request: Request): Promise<Body> {
  const text = await request.text();
  if (!text.trim() || text.trim() === 'null') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameters([fieldError('body', 'invalid_json', 'The request body is not valid JSON.')]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParameters([fieldError('body', 'invalid_json', 'The request body must be a JSON object.')]);
  }
  return parsed as Body;
}

export function apiOperation(
  store: MockWorkOSStore,
  options: HandlerOptions,
  operation: Operation,
  handle: (input: ApiRequest) => Response | Promise<Response>,
): HttpHandler {
  const mswPath = pathFor(options, operation.path.replace(/\{(\w+)\}/g, ':$1'));
  return http[operation.method](mswPath, async ({ request, params: rawParams }) => {
    const params = Object.fromEntries(Object.entries(rawParams).map(([name, value]) => [name, String(value)]));
    const query = new URL(request.url).searchParams;
    let body: Body = {};
    let bodyError: WorkOSError | undefined;
    if (operation.method !== 'get' && operation.method !== 'delete') {
      try {
        body = await readJsonObject(request);
      } catch (error) {
        if (!(error instanceof WorkOSError)) throw error;
        bodyError = error;
      }
    }
    const subject = operation.subject?.({ params, query, body }) ?? {};
    return handleApiCall(store, request, operation.endpoint, subject, async (entry) => {
      if (!hasApiKey(store, request)) return unauthorized();
      try {
        if (bodyError) throw bodyError;
        // Only calls with a body load the spec (about half a second, once per process).
        const hasBody = operation.method !== 'get' && operation.method !== 'delete';
        const fieldErrors = hasBody ? WorkOSOpenApiSpec.shared().requestBodyErrors(operation.path, operation.method, body) : [];
        if (fieldErrors.length > 0) throw invalidParameters(fieldErrors);
        return await handle({ request, params, query, body, entry });
      } catch (error) {
        if (error instanceof WorkOSError) return jsonResponse(error.body, error.status);
        if (error instanceof PaginationError) {
          return jsonResponse(
            {
              code: 'invalid_request_parameters',
              message: error.message,
              errors: [fieldError(error.field, `${error.field}_invalid`, error.message)],
            },
            operation.paginationErrorStatus ?? 422,
          );
        }
        throw error;
      }
    });
  });
}

/** A WorkOS list page of `items` (pagination from the query), each serialized. */
export function listResponse<T extends { id: string; createdAt: string }, J>(
  items: readonly T[],
  query: URLSearchParams,
  serialize: (item: T) => J,
) {
  const { page, listMetadata } = paginate(items, query);
  return jsonResponse(toListResponse(page.map(serialize), listMetadata));
}

export const created = (body: unknown) => jsonResponse(body, 201);
export const noContent = (status = 204) => new Response(null, { status, headers: { 'Cache-Control': 'no-store' } });

/** A string field of the body (the spec's schema already checked its type). */
export const text = (body: Body, name: string): string | undefined => (typeof body[name] === 'string' ? body[name] : undefined);

/** The comma-separated or repeated values of a query parameter (`events=a,b`, `events[]=a&events[]=b`). */
export function listParam(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)]
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** The origin the caller used: links the mock sends (invitations) point at it. */
export const originOf = (request: Request) => new URL(request.url).origin;
