/**
 * The hosted sign-in and its authorization codes: pending sign-ins (with the
 * PKCE challenge, if any), magic codes, and the single-use codes the app
 * exchanges, with WorkOS' PKCE rule: a code_verifier is required exactly when
 * the code was issued with a challenge (always, in strict mode).
 */
import {
  AUTHORIZATION_CODE_TTL_SECONDS,
  AUTHORIZATION_REQUEST_TTL_SECONDS,
  generateId,
  invalidGrant,
  randomToken,
  s256CodeChallenge,
  type AuthorizationCode,
  type AuthorizationRequest,
  type CompletedSignIn,
  type GrantResult,
  type UserRecord,
} from './records.ts';
import { PasskeyStore } from './passkeys.ts';

export abstract class AuthorizationStore extends PasskeyStore {
  readonly authorizationRequests = new Map<string, AuthorizationRequest>();
  readonly codes = new Map<string, AuthorizationCode>();

  protected override clearState(): void {
    super.clearState();
    this.authorizationRequests.clear();
    this.codes.clear();
  }

  createAuthorizationRequest(input: Omit<AuthorizationRequest, 'id' | 'expiresAt' | 'magicAuthId'>): AuthorizationRequest {
    const request: AuthorizationRequest = {
      ...input,
      id: generateId('authreq'),
      expiresAt: this.now() + AUTHORIZATION_REQUEST_TTL_SECONDS * 1000,
      magicAuthId: null,
    };
    this.authorizationRequests.set(request.id, request);
    return request;
  }

  /** A live pending sign-in, or undefined when unknown or expired. */
  getAuthorizationRequest(id: string | null | undefined): AuthorizationRequest | undefined {
    if (!id) return undefined;
    const request = this.authorizationRequests.get(id);
    if (!request) return undefined;
    if (request.expiresAt <= this.now()) {
      this.authorizationRequests.delete(id);
      return undefined;
    }
    return request;
  }

  /** The hosted page's "Email me a code": a magic auth like the API's (same code rules, same outbox). */
  startMagicAuth(request: AuthorizationRequest, user: UserRecord): string {
    const magicAuth = this.createMagicAuth(user.email);
    request.magicAuthId = magicAuth.id;
    return magicAuth.code;
  }

  /** Ends the pending sign-in and issues the single-use code the app exchanges. */
  issueAuthorizationCode(request: AuthorizationRequest, signIn: CompletedSignIn): AuthorizationCode {
    const code: AuthorizationCode = {
      code: randomToken(24),
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      signIn,
      client: request.client,
      expiresAt: this.now() + AUTHORIZATION_CODE_TTL_SECONDS * 1000,
      used: false,
    };
    this.codes.set(code.code, code);
    this.authorizationRequests.delete(request.id);
    const user = this.users.get(signIn.userId);
    if (user) user.lastSignInAt = this.isoNow();
    return code;
  }

  /**
   * Redeems a code for the authorization_code grant. A code is burnt by any
   * exchange attempt, right or wrong, so a stolen code gets exactly one try.
   */
  protected redeemCode(input: {
    clientId: string;
    code: string | undefined;
    codeVerifier: string | undefined;
  }): GrantResult<AuthorizationCode> {
    const code = input.code ? this.codes.get(input.code) : undefined;
    if (!code) return invalidGrant('The code is invalid.');
    if (code.used) return invalidGrant('The code has already been used.');
    code.used = true;
    if (code.expiresAt <= this.now()) return invalidGrant('The code has expired.');
    if (code.clientId !== input.clientId) return invalidGrant('The code was issued to another client.');
    if (code.codeChallenge === null) {
      if (this.config.pkceRequired) return invalidGrant('PKCE is required (strict mode): the authorization request had no code_challenge.');
      if (input.codeVerifier) return invalidGrant('A code_verifier was sent, but the authorization request had no code_challenge.');
    } else {
      if (!input.codeVerifier) return invalidGrant('code_verifier is required: the authorization request used PKCE.');
      if (s256CodeChallenge(input.codeVerifier) !== code.codeChallenge)
        return invalidGrant('The code_verifier does not match the code_challenge.');
    }
    return { ok: true, value: code };
  }
}
