/**
 * The codec server the Temporal UI calls to show encrypted payloads to support staff (src/api/routes/codec.ts).
 * Who may call it: support API keys; new ways in (e.g. the UI's OIDC tokens) add their variables here.
 */
import { bool, csv } from '../values';
import { defineSection } from '../section';

export interface CodecConfig {
  /** Origins of the Temporal UI allowed to call the codec server. */
  corsOrigins: string[];
  /** Dev stack only: the local Temporal UI (which has no login) may decode without a support key. */
  openInDev: boolean;
}

export const codecSection = defineSection({
  variables: {
    CODEC_CORS_ORIGINS: csv.default(['http://localhost:8233']),
    CODEC_OPEN_IN_DEV: bool.default(false),
  },
  check(e, report) {
    if (e.NODE_ENV === 'production' && e.CODEC_OPEN_IN_DEV) report('CODEC_OPEN_IN_DEV', 'must not be set in production');
  },
  read: (e): CodecConfig => ({ corsOrigins: e.CODEC_CORS_ORIGINS, openInDev: e.CODEC_OPEN_IN_DEV }),
});
