/** Where a message stands in the ledger (src/db/ledger.ts); the journey shows it too, so it is a domain word. */
export type LedgerStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'skipped';
