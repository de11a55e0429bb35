// What the Hike sandbox's handlers work on: the records of each kind, and the OAuth server whose
// tokens the API accepts (its token endpoint is an operation of the description too).
import type { OperationHandler } from "../../sandbox/server.js";
import type { HikeRecords } from "./data.js";
import type { HikeAuth } from "./oauth.js";

export interface HikeState extends HikeRecords {
  auth: HikeAuth;
  /**
   * Counts the writes: a filtered or sorted list keeps the positions of its matching records until
   * the next write. Whoever changes a record in place through `state` (not through the API) adds
   * one here.
   */
  revision: number;
}

/** The caller: the app, once its access token is accepted. */
export type HikePrincipal = string;

export type HikeHandler = OperationHandler<HikeState, HikePrincipal>;
