/**
 * The custom search attributes journeys carry, so support can find them in the Temporal UI and CLI
 * (`temporal workflow list --query 'OrderId="1001"'`). Opaque ids and stages only: never personal data.
 * The test harness, the dev stack and the compose bootstrap register exactly this list.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrderIdKey = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const JourneyStageKey = defineSearchAttributeKey('JourneyStage', SearchAttributeType.KEYWORD);
/** The order's parcels at a glance: a problem if any parcel has one, else the least advanced status. */
export const ShipmentStatusKey = defineSearchAttributeKey('ShipmentStatus', SearchAttributeType.KEYWORD);

export const journeySearchAttributes = [OrderIdKey, CustomerIdKey, JourneyStageKey, ShipmentStatusKey];
