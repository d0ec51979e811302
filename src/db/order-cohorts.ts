/**
 * Each order's cohort for the funnel report (migration 1763900800000): the week it was placed in and its locale, which
 * the ledger does not know, and who ordered which items (reorders after a replenishment reminder). Written once per
 * order; opaque ids and skus only.
 */
import type { Pool } from 'pg';

export interface OrderCohort {
  orderId: string;
  customerId: string;
  locale: string;
  placedAt: Date;
  skus: string[];
}

export class OrderCohorts {
  constructor(private readonly pool: Pool) {}

  /**
   * Keeps the order's cohort; an order noted before keeps its first (a repeated order is the same order). The API
   * writes it through a pool that commits without waiting for the disk: a cohort lost to a crash leaves the report its
   * fallback (the order's journey view).
   */
  async note(cohort: OrderCohort): Promise<void> {
    await this.pool.query(
      `INSERT INTO order_cohorts (order_id, customer_id, locale, placed_at, skus) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (order_id) DO NOTHING`,
      [cohort.orderId, cohort.customerId, cohort.locale, cohort.placedAt, cohort.skus],
    );
  }
}
