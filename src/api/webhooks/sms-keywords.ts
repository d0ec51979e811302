/**
 * What an inbound SMS asks for, by Twilio's default keywords: opting out (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
 * QUIT, plus REVOKE and OPTOUT), opting back in (START, YES, UNSTOP) or help (HELP, INFO). As Twilio does, only a
 * message that is the keyword alone counts (case and surrounding spaces or punctuation aside): "stop sending me the
 * wrong size" is a message for a human, not an opt-out. When Twilio's Advanced Opt-Out has classified the message
 * (`OptOutType`), that classification wins.
 */
export type SmsIntent = 'opt_out' | 'opt_in' | 'help';

const KEYWORDS: Record<string, SmsIntent> = {
  STOP: 'opt_out',
  STOPALL: 'opt_out',
  UNSUBSCRIBE: 'opt_out',
  CANCEL: 'opt_out',
  END: 'opt_out',
  QUIT: 'opt_out',
  REVOKE: 'opt_out',
  OPTOUT: 'opt_out',
  START: 'opt_in',
  YES: 'opt_in',
  UNSTOP: 'opt_in',
  HELP: 'help',
  INFO: 'help',
};

const OPT_OUT_TYPES: Record<string, SmsIntent> = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' };

export function smsIntent(
  body: string | undefined,
  optOutType?: string,
): { intent: SmsIntent; keyword: string } | null {
  const classified = optOutType ? OPT_OUT_TYPES[optOutType.toUpperCase()] : undefined;
  const keyword = (body ?? '')
    .trim()
    .replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')
    .toUpperCase();
  if (classified) return { intent: classified, keyword: keyword || optOutType!.toUpperCase() };
  const intent = KEYWORDS[keyword];
  return intent ? { intent, keyword } : null;
}
