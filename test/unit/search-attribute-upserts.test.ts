/**
 * Merging an activation's search-attribute upserts: one command where there were several, in the first one's place,
 * with the values the separate upserts would have left. (That journeys record it is checked in
 * test/journey/delivery.test.ts, on the happy path's history.)
 */
import { mergeUpserts } from '../../src/workflows/search-attribute-upserts';

/** An upsert as the SDK's upsertSearchAttributes pushes it: one payload per key (JSON, as the SDK encodes them). */
const upsertCommand = (fields: Record<string, string>) => ({
  upsertWorkflowSearchAttributes: {
    searchAttributes: {
      indexedFields: Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, { data: Buffer.from(JSON.stringify(v)) }]),
      ),
    },
  },
});

const schedule = (activityId: string) => ({ scheduleActivity: { activityId } });
const timer = { startTimer: { seq: 1 } };

describe('mergeUpserts', () => {
  it('folds later upserts into the first, in its place, the later value winning for a key set twice', () => {
    const merged = mergeUpserts([
      schedule('1'),
      upsertCommand({ JourneyStage: 'in_transit' }),
      timer,
      upsertCommand({ ShipmentStatus: 'registered' }),
      upsertCommand({ JourneyStage: 'delivered' }),
      schedule('2'),
    ]);
    expect(merged).toEqual([
      schedule('1'),
      upsertCommand({ JourneyStage: 'delivered', ShipmentStatus: 'registered' }),
      timer,
      schedule('2'),
    ]);
  });

  it('leaves commands with one upsert or none as they are', () => {
    const one = [schedule('1'), upsertCommand({ JourneyStage: 'closing' }), timer];
    expect(mergeUpserts(one)).toEqual(one);
    expect(mergeUpserts([schedule('1'), timer])).toEqual([schedule('1'), timer]);
    expect(mergeUpserts([])).toEqual([]);
  });
});
