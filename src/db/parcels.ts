/**
 * Which order a parcel belongs to, by tracking number: how a carrier webhook, which knows only the tracking number,
 * finds its journey. Filled when fulfilment registers a shipment through the API.
 */
import type { Pool } from 'pg';

export class ParcelDirectory {
  constructor(private readonly pool: Pool) {}

  async register(parcel: { trackingNumber: string; carrier: string; orderId: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO parcels (tracking_number, carrier, order_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [parcel.trackingNumber, parcel.carrier.toLowerCase(), parcel.orderId],
    );
  }

  /**
   * The order of the newest parcel with this tracking number (carriers reuse numbers after months), preferring the same
   * carrier when the webhook names one. Undefined for a number nobody registered.
   */
  async orderFor(trackingNumber: string, carrier?: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ orderId: string }>(
      `SELECT order_id AS "orderId" FROM parcels WHERE tracking_number = $1
       ORDER BY (carrier = $2) DESC NULLS LAST, registered_at DESC LIMIT 1`,
      [trackingNumber, carrier?.toLowerCase() ?? null],
    );
    return rows[0]?.orderId;
  }
}
