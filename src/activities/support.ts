/** Escalations to the support team: recorded as cases in PostgreSQL, once per journey and cause. */
import type { NewSupportCase, SupportCases } from '../db/support-cases';

export interface SupportDeps {
  supportCases: SupportCases;
}

export function createSupportActivities({ supportCases }: SupportDeps) {
  return {
    async openSupportCase(input: NewSupportCase): Promise<{ caseId: string }> {
      const opened = await supportCases.open(input);
      return { caseId: opened.id };
    },
  };
}
