// The types of recording and response validation every vendor entry exports (`export type *`):
// the options, what a `record` sink and `onDrift` receive, and the validators' index.
export type { RecordedExchange } from "./exchange.js";
export type { DriftFinding, DriftKind } from "./findings.js";
export type { DriftOptions, ObserverFailure, ValidateResponses } from "./options.js";
export type { PersonalFieldsMode } from "./personal.js";
export type { OperationEntry, ResponseValidator, ValidatorIndex } from "./validators.js";
