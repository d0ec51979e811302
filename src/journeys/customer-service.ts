/**
 * The customer's lifecycle workflow (`customer-<customerId>`) as the API reaches it: support records a profile (a birth
 * date) by signal-with-start — a customer without orders yet gets a workflow that waits for their first — and reads the
 * customer's whole picture: the workflow's state (its query), the replenishment chains (visibility) and every message
 * sent to them (the ledger).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { LedgerEntry, MessageLedger } from '../db/ledger';
import { customerWorkflowId, PRODUCTION_LIFECYCLE, type BirthDate, type CustomerPolicy } from '../domain/lifecycle';
import { journeyWorkflowId } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';
import type { customerLifecycle } from '../workflows/customer-lifecycle';
import {
  customerLifecycleQuery,
  customerProfileUpdatedSignal,
  type CustomerProfileUpdated,
} from '../workflows/definitions';
import type { CustomerLifecycle } from '../workflows/lifecycle/customer-state';
import { CustomerIdKey } from '../workflows/search-attributes';
import { JourneyUnavailableError } from './journey-errors';
import { customerWorkflowStart } from './customer-workflow-start';
import { unreachable } from './temporal-faults';

/** How long GET …/journey waits for the customer's workflow to answer its query. */
const QUERY_TIMEOUT_MS = 5_000;

export class CustomerNotFoundError extends Error {
  constructor(readonly customerId: string) {
    super(`no lifecycle for customer ${customerId}: no order and no profile recorded yet`);
  }
}

export interface ReplenishmentChain {
  workflowId: string;
  status: string;
  startedAt: string;
}

export interface CustomerPicture {
  lifecycle: CustomerLifecycle;
  chains: ReplenishmentChain[];
  messages: LedgerEntry[];
}

/** The policy's part the customer workflow runs on. */
export function customerPolicyOf(policy: JourneyPolicy): CustomerPolicy {
  return {
    name: policy.name,
    secondsPerDay: policy.secondsPerDay,
    secondsPerRetryHour: policy.secondsPerRetryHour,
    lifecycle: policy.lifecycle ?? PRODUCTION_LIFECYCLE,
  };
}

export class CustomerService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly policy: JourneyPolicy,
    private readonly ledger: Pick<MessageLedger, 'forCustomer'>,
  ) {}

  /** Records the customer's birth date (null: removes it); starts their workflow when there is none yet. */
  async updateProfile(customerId: string, birthDate: BirthDate | null): Promise<void> {
    const update: CustomerProfileUpdated = { birthDate, source: 'support' };
    const start = customerWorkflowStart(customerId, this.taskQueue, customerPolicyOf(this.policy));
    await this.client.workflow
      .signalWithStart<typeof customerLifecycle, [CustomerProfileUpdated]>('customerLifecycle', {
        ...start,
        signal: customerProfileUpdatedSignal,
        signalArgs: [update],
      })
      .catch((err: unknown) => {
        // Temporal away: a 503 to retry, as for an order's start.
        throw unreachable(start.workflowId, err, `the lifecycle workflow of customer ${customerId}`) ?? err;
      });
  }

  async picture(customerId: string): Promise<CustomerPicture> {
    let lifecycle: CustomerLifecycle;
    const workflowId = customerWorkflowId(customerId);
    try {
      lifecycle = await this.client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
        this.client.workflow.getHandle(workflowId).query(customerLifecycleQuery),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new CustomerNotFoundError(customerId);
      // No worker answered in time (or Temporal is away): a 503 to retry, as for the order journeys.
      throw new JourneyUnavailableError(
        workflowId,
        'no_timely_answer',
        'no worker answered its query in time',
        5,
        `the lifecycle workflow of customer ${customerId}`,
      );
    }
    const journeyIds = [customerWorkflowId(customerId), ...lifecycle.orders.map((o) => journeyWorkflowId(o.orderId))];
    const [chains, messages] = await Promise.all([
      this.chains(customerId),
      this.ledger.forCustomer(customerId, journeyIds),
    ]);
    return { lifecycle, chains, messages };
  }

  /** The customer's replenishment chains, from Temporal's visibility (eventually consistent: a new one shows soon). */
  private async chains(customerId: string): Promise<ReplenishmentChain[]> {
    // Each run of a chain (it continues as new every cycle) is listed: the newest run of each chain tells its status.
    const newest = new Map<string, ReplenishmentChain>();
    const query = `${CustomerIdKey.name} = ${JSON.stringify(customerId)} AND WorkflowType = "replenishment"`;
    for await (const wf of this.client.workflow.list({ query, pageSize: 100 })) {
      const seen = newest.get(wf.workflowId);
      if (!seen || seen.startedAt < wf.startTime.toISOString())
        newest.set(wf.workflowId, {
          workflowId: wf.workflowId,
          status: wf.status.name,
          startedAt: wf.startTime.toISOString(),
        });
      if (newest.size >= 100) break;
    }
    return [...newest.values()].sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  }
}
