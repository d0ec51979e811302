/**
 * Patch markers with a floor. Each `patched()` of a new workflow records a marker and the SDK's TemporalChangeVersion
 * search-attribute upsert: two history events, a visibility write, and a billed action for each workflow task that
 * records one. A happy journey asked a dozen of them: 219 history events without the floor, 198 with it
 * (test/journey/delivery.test.ts). Every patch released before a floor is in all code that knows the floor, so a
 * workflow started since records the newest floor's one marker, at its first task, and takes those patches' new paths
 * without a marker each. A history from before a floor has no marker of it: it asks the floor before, or each patch
 * where it always did, and takes the path its history recorded.
 *
 * Floor 1 took in the dozen patches asked through `sincePatch()`. Released with floor 2 (`sinceFloor(2)`): one
 * search-attribute upsert per activation (src/workflows/search-attribute-upserts.ts), and no replenishment run
 * upserting the stage it already carries; runs from before floor 2 keep their upserts. A patch released after the
 * newest floor uses `patched()` itself until a next floor takes it in (docs/versioning.md).
 */
import { patched } from '@temporalio/workflow';

/** The newest floor: what a workflow started now records. */
export const PATCH_FLOOR = 'patch-floor-2';
/** The floor before, recorded by runs started before floor 2 was released; they replay and run on through it. */
const FIRST_PATCH_FLOOR = 'patch-floor-1';

// Module state is per workflow execution (the SDK gives each workflow its own module instances).
let floor: 0 | 1 | 2 = 0;

/**
 * Asked once per run, before anything else the workflow does: the answer holds for the whole run. A run that never
 * asks (a workflow type without it) asks each patch, as before. A run that recorded floor 2 never asks floor 1.
 */
export function takePatchFloor(): void {
  floor = patched(PATCH_FLOOR) ? 2 : patched(FIRST_PATCH_FLOOR) ? 1 : 0;
}

/** Whether this run recorded floor `n` or a later one: what was released with floor `n` is on. */
export function sinceFloor(n: 1 | 2): boolean {
  return floor >= n;
}

/** `patched(patchId)` for a patch released before floor 1: true without a marker in runs that recorded a floor. */
export function sincePatch(patchId: string): boolean {
  return sinceFloor(1) || patched(patchId);
}
