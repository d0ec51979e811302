/**
 * Patch markers with a floor. Each `patched()` of a new workflow records a marker and the SDK's TemporalChangeVersion
 * search-attribute upsert: two history events, a visibility write, and a billed action for each workflow task that
 * records one. A happy journey asked a dozen of them: 219 history events without the floor, 198 with it
 * (test/journey/delivery.test.ts). Every patch released before the floor is in all code that knows the floor, so a
 * workflow started since records the floor's one marker, at its first task, and takes those patches' new paths without
 * a marker each. A history from before the floor has no floor marker: it asks each patch where it always did, and takes
 * the path its history recorded.
 *
 * Patches released after the floor use `patched()` itself; a later floor may take them in (docs/versioning.md).
 */
import { patched } from '@temporalio/workflow';

export const PATCH_FLOOR = 'patch-floor-1';

// Module state is per workflow execution (the SDK gives each workflow its own module instances).
let floor = false;

/**
 * Asked once per run, before anything else the workflow does: the answer holds for the whole run. A run that never
 * asks (a workflow type without it) asks each patch, as before.
 */
export function takePatchFloor(): void {
  floor = patched(PATCH_FLOOR);
}

/** `patched(patchId)` for a patch released before the floor: true without a marker in runs that recorded the floor. */
export function sincePatch(patchId: string): boolean {
  return floor || patched(patchId);
}
