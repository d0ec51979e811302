/**
 * One-click unsubscribe from marketing (RFC 8058), without any login: the signed, expiring token in the link says who.
 *
 *   POST /v1/unsubscribe?token=…  records the opt-out. Mail clients call it themselves from the List-Unsubscribe header
 *                                 (body `List-Unsubscribe=One-Click`); the confirmation page's button posts here too.
 *   GET  /v1/unsubscribe?token=…  the link in the email's footer: a small page with one button that POSTs. A GET
 *                                 changes nothing, because link scanners and mail previews open links by themselves.
 *
 * A tampered, malformed or expired token → 400, and nothing changes. The opt-out covers every marketing message on
 * every channel (tips, review requests, replenishment reminders), from the next one on — also in journeys already
 * running; order updates (transactional) still go out.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { CustomerPreferenceStore } from '../../db/preferences';
import { verifyUnsubscribeToken, type TokenProblem } from '../../domain/unsubscribe-token';
import type { Logger } from '../../logger';
import { escapeHtml as e } from '../../templates/html';
import { HttpError, validationDetails } from '../errors';
import type { ApiContract } from '../openapi';
import { unsubscribeQuery } from '../requests';

const PROBLEMS: Record<TokenProblem | 'missing', string> = {
  missing: 'the link has no token: use the whole link from the email',
  malformed: 'the link is incomplete or damaged: use the whole link from the email',
  bad_signature: 'the link is not one of ours, or was changed',
  expired: 'the link has expired: use the link in a newer email, or ask support',
};

/** The page may not run scripts or load anything; its form posts only back here. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

export function unsubscribeRouter(config: Config, preferences: CustomerPreferenceStore, logger?: Logger): Router {
  const router = Router();
  const shop = config.shop.name;

  /** The token's claim, or answers 400 (JSON, or a page for a browser) and returns undefined. */
  const claimOf = (req: Request, res: Response, asPage: boolean) => {
    const query = unsubscribeQuery.safeParse(req.query);
    const check = query.success ? verifyUnsubscribeToken(config.unsubscribe.secret, query.data.token) : undefined;
    if (check?.ok) return check.claim;
    const problem = check ? check.problem : req.query.token ? 'malformed' : 'missing';
    logger?.info({ problem }, 'unsubscribe link refused');
    if (asPage) {
      res
        .status(400)
        .set('Content-Security-Policy', PAGE_CSP)
        .type('html')
        .send(page(shop, 'This link does not work', `<p>${e(capitalize(PROBLEMS[problem]))}.</p>`));
      return undefined;
    }
    throw new HttpError(
      400,
      `invalid_token`,
      `unsubscribe link refused: ${PROBLEMS[problem]}`,
      query.success ? { problem } : validationDetails(query.error),
    );
  };

  router.get('/v1/unsubscribe', (req, res) => {
    const claim = claimOf(req, res, true);
    if (!claim) return;
    const action = `?token=${encodeURIComponent(typeof req.query.token === 'string' ? req.query.token : '')}`;
    res
      .set('Content-Security-Policy', PAGE_CSP)
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        page(
          shop,
          `Unsubscribe from ${shop}'s marketing messages?`,
          `<p>You will no longer get tips, review requests or reorder reminders from ${e(shop)}, by email or SMS.
Messages about your orders (confirmation, delivery, returns) still reach you.</p>
<form method="post" action="${e(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
  });

  router.post('/v1/unsubscribe', async (req, res) => {
    const wantsPage = req.accepts(['json', 'html']) === 'html';
    const claim = claimOf(req, res, wantsPage);
    if (!claim) return;
    await preferences.record([
      {
        customerId: claim.customerId,
        topic: 'marketing',
        status: 'opted_out',
        source: `unsubscribe-link:${claim.channel}`,
        reason: 'one-click unsubscribe',
      },
    ]);
    logger?.info({ customerId: claim.customerId, channel: claim.channel }, 'customer unsubscribed from marketing');
    res.set('Cache-Control', 'no-store');
    if (wantsPage) {
      res
        .set('Content-Security-Policy', PAGE_CSP)
        .type('html')
        .send(
          page(
            shop,
            'You are unsubscribed',
            `<p>${e(shop)} will send you no more marketing messages. Order updates still reach you.</p>`,
          ),
        );
      return;
    }
    res.json({ unsubscribed: true, from: 'marketing' });
  });

  return router;
}

export function declareUnsubscribeRoutes(api: ApiContract): void {
  const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
  const common = { path: '/v1/unsubscribe', tags: ['customers'] };
  api.route({
    ...common,
    method: 'get',
    summary: "The email footer's unsubscribe link: a page with one button (a GET changes nothing)",
    request: { query: unsubscribeQuery },
    responses: {
      200: html('The confirmation page'),
      400: html('The link is missing its token, damaged, not ours or expired'),
    },
  });
  api.route({
    ...common,
    method: 'post',
    summary: 'One-click unsubscribe from marketing (RFC 8058): the signed token in the link says who',
    description:
      "Mail clients post `List-Unsubscribe=One-Click` here from the List-Unsubscribe header; the page's button does " +
      'too. Order updates keep coming.',
    needs: ['database'],
    request: {
      query: unsubscribeQuery,
      body: {
        required: false,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ 'List-Unsubscribe': z.literal('One-Click').optional() }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Unsubscribed from marketing (JSON, or a page for a browser)',
        content: {
          'application/json': { schema: z.object({ unsubscribed: z.literal(true), from: z.literal('marketing') }) },
          'text/html': { schema: z.string() },
        },
      },
      400: {
        description: 'invalid_token: missing, damaged, not ours or expired',
        content: { ...api.error('').content, 'text/html': { schema: z.string() } },
      },
    },
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function page(shop: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)} · ${e(shop)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#222}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #333;background:#333;color:#fff;cursor:pointer}</style>
</head><body><h1>${e(title)}</h1>
${body}
</body></html>`;
}
