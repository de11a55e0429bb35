// Locations, accounts and the user (Accounts documentation). A location's PATCH takes
// `cutoff_time`, `opening_hours` and `custom_fields` (a `null` custom field removes it), checks the
// opening hours as HubRise states the rules (each slot ends after it starts, slots of a day do not
// overlap, times before the cut-off belong to the next day) and fires `location.update`.
import type { HubriseSchema } from "../../index.js";
import { notFound, unprocessable, type FieldError } from "../errors.js";
import { mergeCustomFields } from "../format.js";
import { arrayPager, listAnswer } from "../paging.js";
import type { Location } from "../seed-account.js";
import {
  accountMatches,
  bodyOf,
  connectionOf,
  type Ctx,
  type Handler,
  locationOf,
  ok,
} from "./common.js";

type LocationUpdate = HubriseSchema<"LocationUpdate">;
type OpeningHours = HubriseSchema<"OpeningHours">;

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function openingHoursErrors(hours: OpeningHours, cutoff: string): FieldError[] {
  const errors: FieldError[] = [];
  const start = minutes(cutoff);
  // A time before the cut-off is the next day's (a slot 18:00–01:00 ends after midnight).
  const onDay = (time: string) => (minutes(time) < start ? minutes(time) + 1440 : minutes(time));
  for (const [day, slots] of Object.entries(hours)) {
    if (!Array.isArray(slots)) continue;
    const spans = slots.map((s) => [onDay(s.from), onDay(s.to)] as const);
    spans.forEach(([from, to], i) => {
      if (to <= from)
        errors.push({ field: `opening_hours.${day}[${i}].to`, message: "must be after from" });
    });
    const sorted = spans.map((s, i) => [...s, i] as const).sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]![0] < sorted[k - 1]![1]) {
        errors.push({
          field: `opening_hours.${day}[${sorted[k]![2]}]`,
          message: "overlaps another slot",
        });
      }
    }
  }
  return errors;
}

function updateLocation(ctx: Ctx) {
  const location = locationOf(ctx);
  if (!location) return notFound();
  const update = bodyOf<LocationUpdate>(ctx);
  const cutoff = update.cutoff_time ?? location.cutoff_time ?? "06:00";
  const hours = update.opening_hours ?? location.opening_hours ?? {};
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(cutoff)) {
    return unprocessable([{ field: "cutoff_time", message: "is not a time of day (HH:MM)" }]);
  }
  const errors = openingHoursErrors(hours, cutoff);
  if (errors.length > 0) return unprocessable(errors);
  const previous = { ...location };
  const updated: Location = {
    ...location,
    cutoff_time: cutoff,
    opening_hours: hours,
    ...(update.custom_fields
      ? { custom_fields: mergeCustomFields(location.custom_fields, update.custom_fields) }
      : {}),
  };
  const list = ctx.state.locations;
  list[list.indexOf(location)] = updated;
  ctx.state.callbacks.emit(connectionOf(ctx), {
    resource_type: "location",
    event_type: "update",
    location_id: updated.id,
    account_id: ctx.state.account.id,
    previous_state: previous,
    new_state: updated,
  });
  return ok(updated);
}

function getLocation(ctx: Ctx) {
  const location = locationOf(ctx);
  return location ? ok(location) : notFound();
}

function getAccount(ctx: Ctx) {
  return accountMatches(ctx) ? ok(ctx.state.account) : notFound();
}

export const accountHandlers: Record<string, Handler> = {
  listLocations: (ctx) => listAnswer(ctx, arrayPager(ctx.state.locations)),
  getLocation,
  getCurrentLocation: getLocation,
  updateLocation,
  updateCurrentLocation: updateLocation,
  listAccounts: (ctx) => listAnswer(ctx, arrayPager([ctx.state.account])),
  getAccount,
  getCurrentAccount: getAccount,
  getUser: (ctx) => ok(ctx.state.user),
};
