/**
 * Support staff signed in to the Temporal UI: the UI passes their OIDC access token (a JWT) to the codec server, which
 * accepts it when the identity provider signed it (keys from its JWKS, fetched and cached), it was issued by the
 * configured issuer for the configured audience, it has not expired, and its role claim holds the support role.
 * Refusals use the house errors: 401 `unauthenticated` for a token that proves nothing, 403 `forbidden` for a valid
 * token without the role, 503 `identity_provider_unavailable` when the JWKS cannot be fetched.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { CodecOidcConfig } from '../config/sections/codec';
import { HttpError } from './errors';

/** Signed with the identity provider's private key only: no `none`, no shared-secret (HS*) algorithms. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * A JWS in compact form (header.payload.signature — an empty signature too, so that an `alg: none` token is refused
 * as such); API keys are opaque strings without dots.
 */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

export interface SupportUser {
  /** The token's `sub`: who decoded, for whoever audits the codec server. */
  subject: string;
}

export class SupportTokenVerifier {
  /** jose keeps the fetched keys 10 minutes, and fetches again (at most every 30 s) for a key id it does not know. */
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: CodecOidcConfig) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  }

  /** The support user the token speaks for; throws an HttpError (401, 403 or 503) otherwise. */
  async verify(token: string): Promise<SupportUser> {
    const { issuer, audience, roleClaim, supportRole } = this.options;
    let claims: JWTPayload;
    try {
      const options = { issuer, audience, algorithms: ALGORITHMS, clockTolerance: 30 };
      ({ payload: claims } = await jwtVerify(token, this.keys, options));
    } catch (err) {
      throw refusal(err);
    }
    if (!rolesIn(claims, roleClaim).includes(supportRole)) {
      throw new HttpError(
        403,
        'forbidden',
        `the access token's "${roleClaim}" claim does not contain "${supportRole}"`,
      );
    }
    return { subject: claims.sub ?? '(no subject)' };
  }
}

/** Why a token was refused, in words safe to answer (never the token or its claims' values). */
function refusal(err: unknown): HttpError {
  if (err instanceof errors.JWTExpired) return new HttpError(401, 'unauthenticated', 'the access token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new HttpError(
      401,
      'unauthenticated',
      `the access token is not for this service (${err.claim} claim refused)`,
    );
  }
  if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
    // The JWKS did not come (timeout, connection refused, not JSON): the token could not be checked, not proven wrong.
    return new HttpError(
      503,
      'identity_provider_unavailable',
      "the identity provider's signing keys could not be fetched",
      null,
      30,
    );
  }
  return new HttpError(401, 'unauthenticated', 'the access token is not valid (signature, key or format)');
}

/**
 * The roles a token grants: the claim named exactly (`groups`, `roles`, `https://example.com/roles`) or, failing that,
 * a dotted path (`realm_access.roles`); an array of strings, or one string of roles separated by spaces or commas.
 */
export function rolesIn(claims: JWTPayload, claim: string): string[] {
  const step = (at: unknown, key: string) =>
    at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  const value = claim in claims ? claims[claim] : claim.split('.').reduce<unknown>(step, claims);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}
