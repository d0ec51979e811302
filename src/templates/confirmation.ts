/**
 * The order confirmation: thanks, receipt, expected delivery window, support contact, related products.
 * (English copy for now; localized templates replace this renderer without changing its inputs.)
 */
import { escapeHtml } from './html';
import { formatDate, formatMoney } from './format';
import type { ConfirmationData, RenderedEmail, ShopDetails } from './types';

export function renderConfirmationEmail({ order, deliveryWindow }: ConfirmationData, shop: ShopDetails): RenderedEmail {
  const money = (amount: string) => formatMoney(amount, order.currency, order.locale);
  const greeting = order.name ? `Hi ${order.name},` : 'Hi,';
  const window = `${formatDate(deliveryWindow.earliest, order.locale)} – ${formatDate(deliveryWindow.latest, order.locale)}`;
  const lines = order.items.map((item) => `${item.quantity} × ${item.name} (${money(item.unitPrice)})`);
  const related = order.relatedProducts ?? [];
  const support = shop.supportPhone ? `${shop.supportEmail} or ${shop.supportPhone}` : shop.supportEmail;

  const text = [
    greeting,
    '',
    `Thank you for your order ${order.orderId} at ${shop.name}.`,
    '',
    ...lines,
    `Total: ${money(order.total)}`,
    '',
    `Expected delivery: ${window}`,
    '',
    ...(related.length ? ['You might also like:', ...related.map((p) => `- ${p.name}${p.url ? ` ${p.url}` : ''}`), ''] : []),
    `Questions? Contact us at ${support} and mention order ${order.orderId}.`,
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${e(order.locale)}"><body>
<p>${e(greeting)}</p>
<p>Thank you for your order <strong>${e(order.orderId)}</strong> at ${e(shop.name)}.</p>
<table>${order.items.map((item) => `<tr><td>${item.quantity} × ${e(item.name)}</td><td>${e(money(item.unitPrice))}</td></tr>`).join('')}
<tr><td><strong>Total</strong></td><td><strong>${e(money(order.total))}</strong></td></tr></table>
<p>Expected delivery: ${e(window)}</p>
${related.length ? `<p>You might also like:</p><ul>${related.map((p) => `<li>${p.url ? `<a href="${e(p.url)}">${e(p.name)}</a>` : e(p.name)}</li>`).join('')}</ul>` : ''}
<p>Questions? Contact us at ${e(support)} and mention order ${e(order.orderId)}.</p>
</body></html>`;

  return { subject: `Thank you for your order ${order.orderId}`, text, html };
}

export function renderConfirmationSms({ order, deliveryWindow }: ConfirmationData, shop: ShopDetails): string {
  return `${shop.name}: thank you for order ${order.orderId} (${formatMoney(order.total, order.currency, order.locale)}). ` +
    `Expected delivery ${deliveryWindow.earliest} to ${deliveryWindow.latest}. Help: ${shop.supportEmail}`;
}
