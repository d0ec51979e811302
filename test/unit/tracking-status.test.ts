import { customerMessageFor, isFinal, judgeUpdate, type ShipmentTrackingState } from '../../src/domain/tracking-status';

const parcel = (
  status: ShipmentTrackingState['status'],
  statusAt: string | null,
  seenEventIds: string[] = [],
): ShipmentTrackingState => ({
  status,
  statusAt,
  seenEventIds,
});

describe('judging a carrier update', () => {
  it('applies progress that is newer than what we know', () => {
    expect(judgeUpdate(parcel('registered', null), { status: 'in_transit', occurredAt: '2026-11-21T08:00:00Z' })).toBe(
      'apply',
    );
    expect(
      judgeUpdate(parcel('in_transit', '2026-11-21T08:00:00Z'), {
        status: 'out_for_delivery',
        occurredAt: '2026-11-22T07:00:00Z',
      }),
    ).toBe('apply');
  });

  it('drops an event it has seen, by event id or by status and time', () => {
    expect(
      judgeUpdate(parcel('in_transit', '2026-11-21T08:00:00Z', ['e1']), {
        status: 'out_for_delivery',
        occurredAt: '2026-11-22T07:00:00Z',
        eventId: 'e1',
      }),
    ).toBe('duplicate');
    expect(
      judgeUpdate(parcel('in_transit', '2026-11-21T08:00:00Z'), {
        status: 'in_transit',
        occurredAt: '2026-11-21T08:00:00Z',
      }),
    ).toBe('duplicate');
    expect(
      judgeUpdate(parcel('in_transit', '2026-11-21T08:00:00Z'), {
        status: 'in_transit',
        occurredAt: '2026-11-21T12:00:00Z',
      }),
    ).toBe('duplicate');
  });

  it('drops an update older than the status we have', () => {
    expect(
      judgeUpdate(parcel('out_for_delivery', '2026-11-22T07:00:00Z'), {
        status: 'in_transit',
        occurredAt: '2026-11-21T08:00:00Z',
      }),
    ).toBe('stale');
  });

  it('never lets anything but a problem follow "delivered"', () => {
    const delivered = parcel('delivered', '2026-11-22T15:00:00Z');
    expect(judgeUpdate(delivered, { status: 'in_transit', occurredAt: '2026-11-23T08:00:00Z' })).toBe('stale');
    expect(judgeUpdate(delivered, { status: 'out_for_delivery', occurredAt: '2026-11-23T08:00:00Z' })).toBe('stale');
    expect(judgeUpdate(delivered, { status: 'exception', occurredAt: '2026-11-23T08:00:00Z' })).toBe('apply');
    expect(judgeUpdate(delivered, { status: 'exception', occurredAt: '2026-11-21T08:00:00Z' })).toBe('stale');
  });

  it('treats a parcel on its way back to the sender as final', () => {
    expect(
      judgeUpdate(parcel('returned_to_sender', '2026-11-22T15:00:00Z'), {
        status: 'delivered',
        occurredAt: '2026-11-24T08:00:00Z',
      }),
    ).toBe('stale');
    expect(isFinal('returned_to_sender')).toBe(true);
    expect(isFinal('delivered')).toBe(true);
    expect(isFinal('attempt_failed')).toBe(false);
  });

  it('lets a failed attempt be followed by a new delivery round', () => {
    expect(
      judgeUpdate(parcel('attempt_failed', '2026-11-22T15:00:00Z'), {
        status: 'out_for_delivery',
        occurredAt: '2026-11-23T08:00:00Z',
      }),
    ).toBe('apply');
  });
});

describe('what the customer hears', () => {
  it.each([
    ['label_created', undefined],
    ['in_transit', undefined],
    ['out_for_delivery', 'out_for_delivery'],
    ['available_for_pickup', 'ready_for_pickup'],
    ['delivered', 'delivered'],
    ['attempt_failed', 'delivery_problem'],
    ['exception', 'delivery_problem'],
    ['returned_to_sender', 'delivery_problem'],
  ] as const)('%s → %s', (status, message) => {
    expect(customerMessageFor(status)).toBe(message);
  });
});
