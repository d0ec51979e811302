/**
 * Customers' preferences, for support: `GET /v1/customers/:customerId/preferences` and `PUT` (role support).
 *
 * GET for a customer nobody recorded anything for answers 200 with the defaults and `known: false`, not 404: customers
 * live in the shop, not here, so "never said anything" is an answer, and support sees what applies (every channel on,
 * marketing only with an order's checkout consent). PUT sets what it is given (marketing, channels), as said by support
 * now, and answers the preferences as they are then. A change counts for the next message of every running journey.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { CustomerPreferences, CustomerPreferenceStore, PreferenceChange } from '../../db/preferences';
import type { Channel } from '../../domain/order';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import type { ApiContract } from '../openapi';
import { customerIdParam, preferencesUpdateSchema } from '../requests';

const statement = z.object({
  status: z.enum(['opted_in', 'opted_out']),
  source: z.string().describe('Who recorded it: "checkout:order <id>", "unsubscribe-link:email", "support", …'),
  reason: z.string().nullable(),
  at: z.string().describe('ISO 8601 instant the customer said so; the latest statement per topic wins'),
});

/** The answer of both routes (for the OpenAPI document and clients). */
export const customerPreferencesSchema = z.object({
  customerId: z.string(),
  known: z.boolean().describe('false: nothing recorded for this customer yet; the values are the defaults'),
  channels: z.object({ email: z.boolean(), sms: z.boolean() }).describe('Channels the customer accepts messages on'),
  marketing: z
    .enum(['opted_in', 'opted_out', 'not_asked'])
    .describe("not_asked: marketing only with an order's checkout consent"),
  statements: z.object({ marketing: statement.optional(), email: statement.optional(), sms: statement.optional() }),
  optOuts: z
    .array(statement.extend({ topic: z.enum(['marketing', 'email', 'sms']), recordedAt: z.string() }))
    .describe('Every opt-out, newest first'),
});

export function preferencesRouter(config: Config, preferences: CustomerPreferenceStore): Router {
  const router = Router();
  const path = '/v1/customers/:customerId/preferences';

  router.get(path, requireRole(config.apiKeys, 'support'), async (req, res) => {
    const { customerId } = parseOr400(customerIdParam, req.params, 'customer id');
    res.json(await preferences.get(customerId));
  });

  router.put(path, requireRole(config.apiKeys, 'support'), async (req, res) => {
    const { customerId } = parseOr400(customerIdParam, req.params, 'customer id');
    const update = parseOr400(preferencesUpdateSchema, req.body, 'preferences');
    const at = new Date();
    const said = (topic: PreferenceChange['topic'], yes: boolean): PreferenceChange => ({
      customerId,
      topic,
      status: yes ? 'opted_in' : 'opted_out',
      source: 'support',
      reason: update.reason,
      at,
    });
    const changes: PreferenceChange[] = [];
    if (update.marketing !== undefined) changes.push(said('marketing', update.marketing));
    for (const channel of ['email', 'sms'] as Channel[]) {
      const allowed = update.channels?.[channel];
      if (allowed !== undefined) changes.push(said(channel, allowed));
    }
    await preferences.record(changes);
    const answer: CustomerPreferences = await preferences.get(customerId);
    res.json(answer);
  });

  return router;
}

const CustomerPreferences = customerPreferencesSchema.meta({ id: 'CustomerPreferences' });
const PreferencesUpdate = preferencesUpdateSchema.meta({ id: 'PreferencesUpdate' });

export function declarePreferencesRoutes(api: ApiContract): void {
  const answer = api.json('The preferences as they are now', CustomerPreferences);
  const common = { path: '/v1/customers/{customerId}/preferences', tags: ['customers'], roles: ['support' as const] };
  api.route({
    ...common,
    method: 'get',
    summary: 'What the customer accepts: channels, marketing, and every statement behind it',
    description: 'A customer nobody recorded anything for answers 200 with the defaults and `known: false`.',
    needs: ['database'],
    request: { params: customerIdParam },
    responses: { 200: answer, 400: api.errors[400] },
  });
  api.route({
    ...common,
    method: 'put',
    summary: 'Record what the customer told support (marketing, channels)',
    description: 'Sets what is given and leaves the rest; counts for the next message of every running journey.',
    needs: ['database'],
    request: { params: customerIdParam, ...api.body(PreferencesUpdate) },
    responses: { 200: answer, 400: api.errors[400], 413: api.errors[413] },
  });
}
