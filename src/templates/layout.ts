/** The common frame of every email: greeting, body, order number and support contact, as text and as HTML. */
import { escapeHtml as e } from './html';
import type { OrderRef, RenderedEmail, ShopDetails } from './types';

export interface EmailParts {
  subject: string;
  paragraphs: string[];
  list?: string[];
  link?: { label: string; url: string };
}

export function supportContact(shop: ShopDetails): string {
  return shop.supportPhone ? `${shop.supportEmail} or ${shop.supportPhone}` : shop.supportEmail;
}

export function layoutEmail(order: OrderRef, parts: EmailParts, shop: ShopDetails): RenderedEmail {
  const greeting = order.name ? `Hi ${order.name},` : 'Hi,';
  const footer = `Order ${order.orderId} · Questions? ${supportContact(shop)} · ${shop.name}`;
  const text = [
    greeting,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...(parts.list?.length ? [...parts.list.map((l) => `- ${l}`), ''] : []),
    ...(parts.link ? [`${parts.link.label}: ${parts.link.url}`, ''] : []),
    footer,
  ].join('\n');
  const html = `<!doctype html>
<html lang="${e(order.locale)}"><body>
<p>${e(greeting)}</p>
${parts.paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n')}
${parts.list?.length ? `<ul>${parts.list.map((l) => `<li>${e(l)}</li>`).join('')}</ul>` : ''}
${parts.link ? `<p><a href="${e(parts.link.url)}">${e(parts.link.label)}</a></p>` : ''}
<p><small>${e(footer)}</small></p>
</body></html>`;
  return { subject: parts.subject, text, html };
}
