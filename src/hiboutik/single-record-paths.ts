// The single-record reads Hiboutik answers with a one-element array (`[ {…} ]`): the paths whose
// 200 body the description limits to exactly one item (test/spec/hiboutik.test.ts keeps this list
// equal to that set). client.one() accepts exactly these.
export const SINGLE_RECORD_PATHS = [
  "/calendar/event/{event_id}",
  "/customer/{customers_id}",
  "/customers_addresses/{address_id}",
  "/inventory_inputs/{inventory_input_id}",
  "/products/{product_id}",
  "/sales/{sale_id}",
] as const;

export type HiboutikRecordPath = (typeof SINGLE_RECORD_PATHS)[number];
