/**
 * Return labels by RMA: what makes buying one idempotent. The provider's shipment id is noted before the purchase, so a
 * retry (after a timeout, a crash) continues with that shipment and never creates and buys a second one.
 */
import type { Pool } from 'pg';

export interface ReturnLabelRecord {
  rmaId: string;
  journeyId: string;
  orderId: string;
  provider: string;
  status: 'started' | 'bought' | 'refused';
  /** The provider's reference for the shipment, once created: a retry asks about it. */
  shipmentId: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  labelUrl: string | null;
  trackingUrl: string | null;
  refusalCode: string | null;
  refusalReason: string | null;
}

export interface BoughtLabel {
  shipmentId: string;
  carrier: string;
  trackingNumber: string;
  labelUrl: string;
  trackingUrl?: string;
}

const columns = `rma_id AS "rmaId", journey_id AS "journeyId", order_id AS "orderId", provider, status,
  shipment_id AS "shipmentId", carrier, tracking_number AS "trackingNumber", label_url AS "labelUrl",
  tracking_url AS "trackingUrl", refusal_code AS "refusalCode", refusal_reason AS "refusalReason"`;

export class ReturnLabels {
  constructor(private readonly pool: Pool) {}

  /** The RMA's record, created on the first call: every later call (a retry) gets the same row back. */
  async start(r: { rmaId: string; journeyId: string; orderId: string; provider: string }): Promise<ReturnLabelRecord> {
    const { rows } = await this.pool.query<ReturnLabelRecord>(
      `INSERT INTO return_labels (rma_id, journey_id, order_id, provider) VALUES ($1, $2, $3, $4)
       ON CONFLICT (rma_id) DO UPDATE SET updated_at = return_labels.updated_at
       RETURNING ${columns}`,
      [r.rmaId, r.journeyId, r.orderId, r.provider],
    );
    return rows[0]!;
  }

  /**
   * Notes the shipment created for the RMA, unless another attempt noted one first: answers the shipment to buy (the
   * first one noted; a second one is left unbought, which costs nothing).
   */
  async noteShipment(rmaId: string, shipmentId: string): Promise<string> {
    const { rows } = await this.pool.query<{ shipmentId: string }>(
      `UPDATE return_labels SET shipment_id = COALESCE(shipment_id, $2), updated_at = now() WHERE rma_id = $1
       RETURNING shipment_id AS "shipmentId"`,
      [rmaId, shipmentId],
    );
    return rows[0]!.shipmentId;
  }

  async bought(rmaId: string, label: BoughtLabel): Promise<void> {
    await this.pool.query(
      `UPDATE return_labels SET status = 'bought', shipment_id = $2, carrier = $3, tracking_number = $4,
         label_url = $5, tracking_url = $6, updated_at = now()
       WHERE rma_id = $1`,
      [rmaId, label.shipmentId, label.carrier, label.trackingNumber, label.labelUrl, label.trackingUrl ?? null],
    );
  }

  async refused(rmaId: string, code: string, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE return_labels SET status = 'refused', refusal_code = $2, refusal_reason = $3, updated_at = now()
       WHERE rma_id = $1 AND status <> 'bought'`,
      [rmaId, code, reason.slice(0, 500)],
    );
  }

  async get(rmaId: string): Promise<ReturnLabelRecord | undefined> {
    const { rows } = await this.pool.query<ReturnLabelRecord>(
      `SELECT ${columns} FROM return_labels WHERE rma_id = $1`,
      [rmaId],
    );
    return rows[0];
  }
}
