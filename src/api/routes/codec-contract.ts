/** The codec server's operations in the contract (its handlers: src/api/routes/codec.ts). */
import type { ApiContract } from '../openapi';
import { payloadsBody } from './codec';

/** The JSON form of Temporal payloads the UI sends and gets back (metadata values and data in base64). */
const Payloads = payloadsBody.meta({ id: 'Payloads' });

export function declareCodecRoutes(api: ApiContract): void {
  for (const direction of ['decode', 'encode'] as const) {
    api.route({
      method: 'post',
      path: `/codec/${direction}`,
      tags: ['codec'],
      summary: `${direction === 'decode' ? 'Decrypt' : 'Encrypt'} Temporal payloads for the Web UI`,
      description:
        "CORS for the Temporal UI's origin (CODEC_CORS_ORIGINS). The `X-Namespace` header the UI sends is accepted. " +
        'Besides a support API key, the Bearer may be the OIDC access token the Temporal UI passes for its signed-in ' +
        'user (when CODEC_OIDC_* are set): 401 when expired, forged, from another issuer or for another audience; ' +
        '403 without the support role; 503 identity_provider_unavailable when the signing keys cannot be fetched.',
      roles: ['support'],
      request: api.body(Payloads),
      responses: {
        200: api.json(`The payloads, ${direction}d`, Payloads),
        400: api.error(`invalid_request, or undecodable: the payloads could not be ${direction}d`),
      },
    });
  }
}
