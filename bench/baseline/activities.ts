/** The baseline's activities: no bodies, except `notify`, which makes one HTTP call as a provider send would. */
export async function noop(): Promise<void> {}

export async function noopLocal(): Promise<void> {}

/** One POST to the bench's stub, shaped like a SendGrid send so the same stub records it (custom_args.journeyId). */
export async function notify(url: string, journeyId: string): Promise<void> {
  const body = JSON.stringify({ personalizations: [{ custom_args: { journeyId, ledgerId: journeyId } }] });
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`stub answered ${res.status}`);
}
