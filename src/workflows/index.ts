/** The workflows the worker registers. Deterministic code only below this folder. */
export { orderJourney } from './order-journey';
export { replenishment } from './replenishment';
export { customerLifecycle } from './customer-lifecycle';
