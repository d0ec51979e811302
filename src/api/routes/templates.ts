/**
 * Previews of every customer message with sample data, so support and translators can review copy without placing an
 * order: `GET /v1/templates/:type/preview?locale=lv&channel=email` → `{ subject, html, text }` (`&format=html`: the
 * email itself, for a browser), `channel=sms` → `{ text, segments, encoding }`.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import {
  isMessageType,
  MESSAGE_TYPES,
  prepareTemplates,
  renderEmail,
  renderSmsWithLength,
  resolveLocale,
  sampleMessage,
} from '../../templates';
import { requireRole } from '../auth';
import { HttpError, parseOr400 } from '../errors';
import type { ApiContract } from '../openapi';
import { xRules } from '../requests';
import { emailPreviewSchema, smsPreviewSchema } from '../responses';

const localeTag = z
  .string()
  .trim()
  .min(2)
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag.replace(/_/g, '-')).length === 1;
    } catch {
      return false;
    }
  }, 'must be a language tag such as "lv" or "lv-LV"')
  .meta({
    format: 'bcp47-language-tag',
    'x-trimmed': true,
    description: 'A BCP 47 language tag ("lv", "lv-LV"; "_" is read as "-"); an unknown language falls back to English',
  });

export const previewQuery = z
  .object({
    locale: localeTag.default('en'),
    channel: z.enum(['email', 'sms']).default('email'),
    format: z.enum(['json', 'html']).default('json'),
  })
  .refine((q) => q.format === 'json' || q.channel === 'email', {
    message: 'html is only for channel=email',
    path: ['format'],
  });

export function templatesRouter(config: Config): Router {
  const router = Router();

  router.get('/v1/templates/:type/preview', requireRole(config.apiKeys, 'support'), async (req, res) => {
    const type = req.params.type as string;
    if (!isMessageType(type)) {
      throw new HttpError(404, 'template_not_found', `no message type "${type}"`, { messageTypes: MESSAGE_TYPES });
    }
    const { locale, channel, format } = parseOr400(previewQuery, req.query, 'query');
    const message = sampleMessage(type, locale);
    const rendered = resolveLocale(locale).locale;

    if (channel === 'sms') {
      res.json({ locale: rendered, ...renderSmsWithLength(message, config.shop) });
      return;
    }
    await prepareTemplates(); // compiles the layouts once, off the event loop's critical path
    const email = renderEmail(message, config.shop);
    if (format === 'html') {
      // Sample data only; still, the page may not run scripts or load anything but its own styles and images.
      res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:");
      res.type('html').send(email.html);
      return;
    }
    res.json({ locale: rendered, ...email });
  });

  return router;
}

export function declareTemplateRoutes(api: ApiContract): void {
  api.route({
    method: 'get',
    path: '/v1/templates/{type}/preview',
    tags: ['messages'],
    summary: 'A message type rendered with sample data',
    roles: ['support'],
    request: { params: z.object({ type: z.enum(MESSAGE_TYPES) }), query: previewQuery },
    ...xRules({
      rule: 'allowed-when-equals',
      path: 'query.format',
      value: 'html',
      when: { path: 'query.channel', equals: 'email' },
      description: 'format=html only with channel=email (an absent channel is email)',
    }),
    responses: {
      200: {
        description:
          'channel=email: subject, html and text; channel=sms: text, segments and encoding; format=html: the email ' +
          'page itself',
        content: {
          'application/json': { schema: z.union([emailPreviewSchema, smsPreviewSchema]) },
          'text/html': { schema: z.string() },
        },
      },
      400: api.errors[400],
      404: api.error('template_not_found: no such message type (details list them)'),
    },
  });
}
