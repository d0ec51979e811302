/**
 * The customer's lifecycle, for support: `PUT /v1/customers/:customerId/profile` records a birth date (the birthday
 * greeting goes on the day, in the customer's time zone), and `GET /v1/customers/:customerId/journey` shows the whole
 * customer: orders, loyalty tier, replenishment chains, upcoming lifecycle messages and every message sent.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { formatBirthDate, parseBirthDate, type BirthDate } from '../../domain/lifecycle';
import { birthDateSchema } from '../../domain/order';
import { CustomerNotFoundError, type CustomerPicture, type CustomerService } from '../../journeys/customer-service';
import { requireRole } from '../auth';
import { HttpError, parseOr400 } from '../errors';
import type { ApiContract } from '../openapi';
import { customerIdParam } from '../requests';

/** What support may set: the birth date ("MM-DD" or "YYYY-MM-DD"). Unknown fields are refused. */
export const customerProfileSchema = z.strictObject({
  birthDate: birthDateSchema,
});

const message = z.object({
  journeyId: z.string().describe('customer-<id>, order-<orderId> or replenish-<customerId>-<sku>'),
  orderId: z.string(),
  step: z.string(),
  channel: z.enum(['email', 'sms']),
  messageType: z.string(),
  status: z.string(),
  errorCode: z.string().nullable(),
  sentAt: z.string().nullable(),
});

/** The answer of GET …/journey: no contact details (they stay in the workflow, encrypted). */
export const customerJourneySchema = z.object({
  customerId: z.string(),
  birthDate: z.string().nullable().describe('"MM-DD", or "YYYY-MM-DD" when the year was given'),
  firstOrderAt: z.string().nullable(),
  customerSince: z.string().nullable().describe('When the first order reached the customer workflow: anniversaries'),
  orderCount: z.number().int(),
  tier: z.object({ name: z.string(), since: z.string() }).nullable(),
  orders: z.array(
    z.object({
      orderId: z.string(),
      placedAt: z.string(),
      knownAt: z
        .string()
        .describe('When the customer workflow learned of it: a quiet spell counts from here at the earliest'),
      total: z.string(),
      currency: z.string(),
      categories: z.array(z.string()),
    }),
  ),
  replenishmentChains: z.array(z.object({ workflowId: z.string(), status: z.string(), startedAt: z.string() })),
  upcoming: z
    .array(z.object({ step: z.string(), messageType: z.string(), description: z.string(), dueAt: z.string() }))
    .describe('The next lifecycle messages, soonest first (each still subject to consent, quiet hours and the cap)'),
  lifecycleMessages: z.array(
    z.object({ step: z.string(), channel: z.string(), messageType: z.string(), status: z.string(), at: z.string() }),
  ),
  messages: z.array(message).describe('Every message to the customer in the ledger, oldest first'),
  timeline: z.array(z.object({ at: z.string(), event: z.string() })),
});

export function customersRouter(config: Config, customers: CustomerService): Router {
  const router = Router();

  router.put('/v1/customers/:customerId/profile', requireRole(config.apiKeys, 'support'), async (req, res) => {
    const { customerId } = parseOr400(customerIdParam, req.params, 'customer id');
    const { birthDate } = parseOr400(customerProfileSchema, req.body, 'profile');
    const parsed = parseBirthDate(birthDate) as BirthDate; // the schema refused every date parseBirthDate refuses
    await customers.updateProfile(customerId, parsed);
    res.json({ customerId, birthDate: formatBirthDate(parsed) });
  });

  router.get('/v1/customers/:customerId/journey', requireRole(config.apiKeys, 'support'), async (req, res) => {
    const { customerId } = parseOr400(customerIdParam, req.params, 'customer id');
    try {
      res.json(answerOf(await customers.picture(customerId)));
    } catch (err) {
      if (err instanceof CustomerNotFoundError) throw new HttpError(404, 'customer_not_found', err.message);
      throw err;
    }
  });

  return router;
}

function answerOf({ lifecycle, chains, messages }: CustomerPicture): z.infer<typeof customerJourneySchema> {
  return {
    customerId: lifecycle.customerId,
    birthDate: lifecycle.birthDate && formatBirthDate(lifecycle.birthDate),
    firstOrderAt: lifecycle.firstOrderAt,
    customerSince: lifecycle.customerSince,
    orderCount: lifecycle.orderCount,
    tier: lifecycle.tier,
    orders: lifecycle.orders,
    replenishmentChains: chains,
    upcoming: lifecycle.upcoming.map(({ step, messageType, description, dueAt }) => ({
      step,
      messageType,
      description,
      dueAt,
    })),
    lifecycleMessages: lifecycle.messages.map(({ step, channel, messageType, status, at }) => ({
      step,
      channel,
      messageType,
      status,
      at,
    })),
    messages: messages.map((m) => ({
      journeyId: m.journeyId,
      orderId: m.orderId,
      step: m.step,
      channel: m.channel,
      messageType: m.messageType,
      status: m.status,
      errorCode: m.errorCode,
      sentAt: m.sentAt ? new Date(m.sentAt).toISOString() : null,
    })),
    timeline: lifecycle.timeline,
  };
}

const CustomerProfile = customerProfileSchema.meta({ id: 'CustomerProfile' });
const CustomerJourney = customerJourneySchema.meta({ id: 'CustomerJourney' });

export function declareCustomerRoutes(api: ApiContract): void {
  api.route({
    method: 'put',
    path: '/v1/customers/{customerId}/profile',
    tags: ['customers'],
    summary: "Record the customer's birth date (the birthday greeting goes on the day, in their time zone)",
    description:
      "Starts the customer's lifecycle workflow when there is none yet. A date that does not exist (02-30, 13-01) " +
      'or is not written MM-DD / YYYY-MM-DD is 400, saying what is wrong.',
    roles: ['support'],
    needs: ['temporal'],
    request: { params: customerIdParam, ...api.body(CustomerProfile) },
    responses: {
      200: api.json('The profile as recorded', z.object({ customerId: z.string(), birthDate: z.string() })),
      400: api.errors[400],
      413: api.errors[413],
    },
  });
  api.route({
    method: 'get',
    path: '/v1/customers/{customerId}/journey',
    tags: ['customers'],
    summary: "The customer's lifecycle: orders, tier, replenishment chains, upcoming messages, every message sent",
    roles: ['support'],
    needs: ['temporal', 'database'],
    request: { params: customerIdParam },
    responses: {
      200: api.json("From the customer's workflow (its query), Temporal's visibility and the ledger", CustomerJourney),
      400: api.errors[400],
      404: api.error('customer_not_found: no order and no profile recorded for this customer'),
    },
  });
}
