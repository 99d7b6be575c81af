/**
 * Users and what proves them, with the API key: list/create/get/update/delete
 * users, their identities and API keys, email verification, magic auth and
 * password reset. Each answers what WorkOS documents (e.g. 400
 * `user_creation_error` for a taken email, 404 `entity_not_found` for an unknown id).
 */
import type { HttpHandler } from 'msw';
import {
  toEmailVerificationResponse,
  toMagicAuthResponse,
  toPasswordResetResponse,
  toUserApiKeyResponse,
  toUserResponse,
  type UserApiKeyWithValueJson,
} from '../serializers.ts';
import { fieldError, invalidParameters, isEmailAddress, WorkOSError, type MockWorkOSStore, type UserRecord } from '../store.ts';
import { assertPasswordStrength } from '../store/directory.ts';
import { apiOperation, created, listResponse, noContent, text, type Body } from './api.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

/** GitHub is `GithubOAuth` in an identity (the spec's enum), `GitHubOAuth` as an authentication method. */
const IDENTITY_PROVIDERS = { GoogleOAuth: 'GoogleOAuth', MicrosoftOAuth: 'MicrosoftOAuth', GitHubOAuth: 'GithubOAuth' } as const;

/** `password` and `password_hash` exclude each other; the mock cannot check imported hashes. */
function checkPasswordFields(body: Body): void {
  if (
    body.password !== undefined &&
    body.password !== null &&
    (body.password_hash !== undefined || body.password_hash_type !== undefined)
  ) {
    throw new WorkOSError(400, 'password_and_password_hash_provided', 'Send either password or password_hash, not both.');
  }
  if (body.password_hash !== undefined) {
    throw new WorkOSError(400, 'invalid_password_hash', 'The mock WorkOS does not import password hashes: send password instead.');
  }
}

function checkEmail(email: string | undefined): void {
  if (email !== undefined && !isEmailAddress(email)) {
    throw invalidParameters([fieldError('email', 'email_invalid', `"${email}" is not an email address.`)]);
  }
}

const nullableText = (body: Body, name: string): string | null | undefined =>
  body[name] === null ? null : typeof body[name] === 'string' ? body[name] : undefined;

const metadataOf = (body: Body) => (body.metadata === null ? null : (body.metadata as Record<string, string> | undefined));

/** Where a password reset link points: WorkOS' "Password reset URL" setting; here the app's origin + /reset-password. */
const resetUrlFor = (store: MockWorkOSStore) => (token: string) => {
  const url = new URL('/reset-password', store.config.redirectUris[0]);
  url.searchParams.set('token', token);
  return url.toString();
};

export function userHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const byUserId = ({ params }: { params: Record<string, string> }) => ({ userId: params.id ?? params.userId ?? params.userlandUserId });
  const user = (record: UserRecord) => jsonResponse(toUserResponse(record));

  return [
    apiOperation(store, options, { method: 'get', path: '/user_management/users', endpoint: 'list_users' }, ({ query }) => {
      const email = query.get('email')?.trim().toLowerCase();
      const organizationId = query.get('organization_id') ?? query.get('organization') ?? undefined;
      const users = [...store.users.values()].filter(
        (candidate) =>
          (!email || candidate.email === email) && (!organizationId || store.activeMembership(candidate.id, organizationId) !== undefined),
      );
      return listResponse(users, query, toUserResponse);
    }),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/users', endpoint: 'create_user', subject: ({ body }) => ({ email: text(body, 'email') }) },
      ({ body }) => {
        checkPasswordFields(body);
        const email = text(body, 'email') ?? '';
        checkEmail(email);
        const password = text(body, 'password');
        if (password !== undefined) assertPasswordStrength(password);
        try {
          return created(
            toUserResponse(
              store.createUser({
                email,
                password: password ?? null,
                firstName: nullableText(body, 'first_name'),
                lastName: nullableText(body, 'last_name'),
                emailVerified: typeof body.email_verified === 'boolean' ? body.email_verified : false,
                externalId: nullableText(body, 'external_id'),
                metadata: metadataOf(body) ?? undefined,
              }),
            ),
          );
        } catch (error) {
          if (error instanceof WorkOSError && error.code === 'external_id_already_used') {
            throw new WorkOSError(400, 'user_creation_error', error.message, {
              errors: [{ code: 'external_id_already_used', message: error.message }],
            });
          }
          throw error;
        }
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/users/{id}', endpoint: 'get_user', subject: byUserId },
      ({ params }) => user(store.requireUser(params.id ?? '')),
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/users/external_id/{external_id}', endpoint: 'get_user_by_external_id' },
      ({ params }) => {
        const found = store.findUserByExternalId(params.external_id ?? '');
        if (!found) throw new WorkOSError(404, 'entity_not_found', `User not found: '${params.external_id ?? ''}'.`);
        return user(found);
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'put', path: '/user_management/users/{id}', endpoint: 'update_user', subject: byUserId },
      ({ params, body }) => {
        checkPasswordFields(body);
        return user(
          store.updateUser(params.id ?? '', {
            email: text(body, 'email'),
            firstName: nullableText(body, 'first_name'),
            lastName: nullableText(body, 'last_name'),
            emailVerified: typeof body.email_verified === 'boolean' ? body.email_verified : undefined,
            password: text(body, 'password'),
            externalId: nullableText(body, 'external_id'),
            metadata: metadataOf(body),
            locale: nullableText(body, 'locale'),
          }),
        );
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'delete', path: '/user_management/users/{id}', endpoint: 'delete_user', subject: byUserId },
      ({ params }) => {
        store.deleteUser(params.id ?? '');
        return noContent(200);
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/users/{id}/identities', endpoint: 'get_user_identities', subject: byUserId },
      ({ params }) => {
        const found = store.requireUser(params.id ?? '');
        const identities = found.socialProvider
          ? [{ idp_id: `mock-${found.socialProvider}-${found.id}`, type: 'OAuth', provider: IDENTITY_PROVIDERS[found.socialProvider] }]
          : [];
        return jsonResponse(identities);
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/users/{userId}/api_keys', endpoint: 'list_user_api_keys', subject: byUserId },
      ({ params, query }) =>
        listResponse(store.apiKeysOfUser(params.userId ?? '', query.get('organization_id') ?? undefined), query, toUserApiKeyResponse),
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/users/{userId}/api_keys', endpoint: 'create_user_api_key', subject: byUserId },
      ({ params, body }) => {
        const key = store.createUserApiKey(params.userId ?? '', {
          name: text(body, 'name') ?? '',
          organizationId: text(body, 'organization_id') ?? '',
          permissions: body.permissions as string[] | undefined,
        });
        const withValue: UserApiKeyWithValueJson = { ...toUserApiKeyResponse(key), value: key.value };
        return created(withValue);
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/user_management/users/{id}/email_verification/send',
        endpoint: 'send_verification_email',
        subject: byUserId,
      },
      ({ params }) => {
        store.sendVerificationEmail(params.id ?? '');
        return jsonResponse({ user: toUserResponse(store.requireUser(params.id ?? '')) });
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/users/{id}/email_verification/confirm', endpoint: 'verify_email', subject: byUserId },
      ({ params, body }) => jsonResponse({ user: toUserResponse(store.verifyEmail(params.id ?? '', text(body, 'code') ?? '')) }),
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/email_verification/{id}', endpoint: 'get_email_verification' },
      ({ params }) => jsonResponse(toEmailVerificationResponse(store.requireEmailVerification(params.id ?? ''))),
    ),

    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/user_management/magic_auth',
        endpoint: 'create_magic_auth',
        subject: ({ body }) => ({ email: text(body, 'email') }),
      },
      ({ body }) => {
        const email = text(body, 'email') ?? '';
        checkEmail(email);
        const invitationToken = text(body, 'invitation_token');
        if (invitationToken !== undefined) {
          const invitation = store.findInvitationByToken(invitationToken);
          if (!invitation || store.invitationState(invitation) !== 'pending' || invitation.email !== email.trim().toLowerCase()) {
            throw new WorkOSError(400, null, 'The invitation is invalid for this email.', {
              error: 'invitation_invalid',
              error_description: 'The invitation is invalid, expired, or for another email.',
            });
          }
        }
        return created(toMagicAuthResponse(store.createMagicAuth(email)));
      },
    ),

    apiOperation(store, options, { method: 'get', path: '/user_management/magic_auth/{id}', endpoint: 'get_magic_auth' }, ({ params }) =>
      jsonResponse(toMagicAuthResponse(store.requireMagicAuth(params.id ?? ''))),
    ),

    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/user_management/password_reset',
        endpoint: 'create_password_reset',
        subject: ({ body }) => ({ email: text(body, 'email') }),
      },
      ({ body }) => {
        const reset = store.createPasswordReset(text(body, 'email') ?? '', resetUrlFor(store));
        return created(toPasswordResetResponse(reset, resetUrlFor(store)(reset.code)));
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/password_reset/{id}', endpoint: 'get_password_reset' },
      ({ params }) => {
        const reset = store.requirePasswordReset(params.id ?? '');
        return jsonResponse(toPasswordResetResponse(reset, resetUrlFor(store)(reset.code)));
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/password_reset/confirm', endpoint: 'reset_password' },
      ({ body }) =>
        jsonResponse({ user: toUserResponse(store.resetPassword(text(body, 'token') ?? '', text(body, 'new_password') ?? '')) }),
    ),
  ];
}
