/** Support cases the journey opens; the support team works them from here. */
import type { Pool } from 'pg';

export interface SupportCase {
  id: string;
  journeyId: string;
  orderId: string;
  caseKey: string;
  kind: string;
  summary: string;
  status: 'open' | 'closed';
  createdAt: Date;
}

export type NewSupportCase = Pick<SupportCase, 'journeyId' | 'orderId' | 'caseKey' | 'kind' | 'summary'>;

const columns = `id, journey_id AS "journeyId", order_id AS "orderId", case_key AS "caseKey", kind, summary, status, created_at AS "createdAt"`;

export class SupportCases {
  constructor(private readonly pool: Pool) {}

  /** Opens the case once per journey and cause; opening it again returns the existing case. */
  async open(c: NewSupportCase): Promise<SupportCase> {
    const { rows } = await this.pool.query<SupportCase>(
      `INSERT INTO support_cases (journey_id, order_id, case_key, kind, summary) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT support_cases_one_per_cause DO UPDATE SET case_key = EXCLUDED.case_key
       RETURNING ${columns}`,
      [c.journeyId, c.orderId, c.caseKey, c.kind, c.summary],
    );
    return rows[0]!;
  }

  async forOrder(orderId: string): Promise<SupportCase[]> {
    const { rows } = await this.pool.query<SupportCase>(
      `SELECT ${columns} FROM support_cases WHERE order_id = $1 ORDER BY created_at`,
      [orderId],
    );
    return rows;
  }
}
