/**
 * The codec server the Temporal UI calls to show encrypted payloads to support staff (src/api/routes/codec.ts).
 * Who may call it: support API keys and, when CODEC_OIDC_* are set, the OIDC access tokens of support staff signed
 * in to the Temporal UI (src/api/oidc.ts).
 */
import { z } from 'zod';
import { bool, csv, httpUrl } from '../values';
import { defineSection, requireTogether } from '../section';

/** How the codec server checks the access tokens the Temporal UI passes (TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true). */
export interface CodecOidcConfig {
  /** The identity provider's issuer, exactly as in the tokens' `iss`. */
  issuer: string;
  /** The `aud` the tokens must carry: the API (resource) the UI's client asks tokens for. */
  audience: string;
  /** Where the identity provider publishes its signing keys (JWKS). */
  jwksUrl: string;
  /** The claim listing the user's groups or roles: a name (`groups`) or a dotted path (`realm_access.roles`). */
  roleClaim: string;
  /** The value in that claim that makes someone support staff. */
  supportRole: string;
}

export interface CodecConfig {
  /** Origins of the Temporal UI allowed to call the codec server. */
  corsOrigins: string[];
  /** Dev stack only: the local Temporal UI (which has no login) may decode without a support key. */
  openInDev: boolean;
  /** Set when support staff may decode with the Temporal UI's OIDC access tokens. */
  oidc?: CodecOidcConfig;
}

const OIDC_REQUIRED = ['CODEC_OIDC_ISSUER', 'CODEC_OIDC_AUDIENCE', 'CODEC_OIDC_JWKS_URL'];

export const codecSection = defineSection({
  variables: {
    CODEC_CORS_ORIGINS: csv.default(['http://localhost:8233']),
    CODEC_OPEN_IN_DEV: bool.default(false),
    CODEC_OIDC_ISSUER: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'must be the issuer URL, exactly as in the tokens')
      .optional(),
    CODEC_OIDC_AUDIENCE: z.string().min(1).optional(),
    CODEC_OIDC_JWKS_URL: httpUrl.optional(),
    CODEC_OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
    CODEC_OIDC_SUPPORT_ROLE: z.string().min(1).default('support'),
  },
  check(e, report) {
    if (e.NODE_ENV === 'production' && e.CODEC_OPEN_IN_DEV) {
      report('CODEC_OPEN_IN_DEV', 'must not be set in production');
    }
    requireTogether(e, OIDC_REQUIRED, 'OIDC access tokens for the codec server', report);
    if (e.NODE_ENV === 'production' && e.CODEC_OIDC_JWKS_URL?.startsWith('http://')) {
      report('CODEC_OIDC_JWKS_URL', 'must be https:// in production (the keys that decide who reads customer data)');
    }
  },
  read: (e): CodecConfig => ({
    corsOrigins: e.CODEC_CORS_ORIGINS,
    openInDev: e.CODEC_OPEN_IN_DEV,
    ...(e.CODEC_OIDC_ISSUER && e.CODEC_OIDC_AUDIENCE && e.CODEC_OIDC_JWKS_URL
      ? {
          oidc: {
            issuer: e.CODEC_OIDC_ISSUER,
            audience: e.CODEC_OIDC_AUDIENCE,
            jwksUrl: e.CODEC_OIDC_JWKS_URL,
            roleClaim: e.CODEC_OIDC_ROLE_CLAIM,
            supportRole: e.CODEC_OIDC_SUPPORT_ROLE,
          },
        }
      : {}),
  }),
});
