// The errors every vendor entry exports: the ones its client can throw whatever the vendor. Each
// entry adds its own vendor's (Hiboutik's QuotaExhaustedError, Hike's TokenRefreshError, …) and
// no other vendor's.
export {
  ApiError,
  InvalidParameterError,
  InvalidResponseError,
  LimitsStoreError,
  type LimitsStoreFailure,
  PaginationError,
  type PaginationFailure,
  RedirectError,
  type RedirectFailure,
  ResponseDriftError,
  ResponseTooLargeError,
  TimeoutError,
  type TimeoutPhase,
  TransportError,
  VendorClientError,
} from "./errors.js";
