// What every vendor entry with rate limits exports about where they are counted.
export {
  type InFlightLimiter,
  type Lease,
  type LimitsStore,
  memoryLimitsStore,
  type WindowLimiter,
} from "./store.js";
