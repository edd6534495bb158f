/**
 * The data points the emulated `/v4/` routes answer from: generated ones (from the same
 * generator as the Fitbit routes) and those users created, less those they deleted, queried by
 * civil date range and filter, or found by id.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import { today } from "../EmulatorState.js"
import type * as Registry from "../Registry.js"
import { invalid } from "./Answers.js"
import { type Caller } from "./Caller.js"
import { compile, parseFilter } from "./Filter.js"
import * as GoogleData from "./GoogleData.js"

const FIELD: Record<string, string> = {}
/**
 * The camel-case JSON field of a data type: `heart-rate` → `heartRate`.
 *
 * @since 0.1.0
 */
export const fieldOf = (dataType: string): string =>
  FIELD[dataType] ??= dataType.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
const IDENTIFIABLE = new Set([
  "sleep",
  "exercise",
  "weight",
  "body-fat",
  "electrocardiogram",
  "irregular-rhythm-notification",
  "nutrition-log",
  "hydration-log"
])
const MAX_DAYS = 400

/** Parses a stored or created point's keys from its JSON. */
export const pointOf = (dataType: string, json: Record<string, unknown>, user: Registry.User): GoogleData.Point | undefined => {
  const value = json[fieldOf(dataType)] as Record<string, any> | undefined
  if (typeof value !== "object" || value === null) return undefined
  const offset = user.offsetFromUTCMillis
  const name = typeof json.name === "string" ? json.name : undefined
  const id = name?.split("/").pop()
  const base = { dataType, json, ...(id === undefined ? {} : { id }) }
  if (GoogleData.isCatalogue(dataType)) return { ...base, start: 0, end: 0, civilStart: "", civilEnd: "", date: "" }
  if (typeof value.interval === "object" && value.interval !== null) {
    const start = Date.parse(value.interval.startTime)
    const end = Date.parse(value.interval.endTime)
    if (Number.isNaN(start) || Number.isNaN(end)) return undefined
    return { ...base, start, end, civilStart: GoogleData.civil(start, offset), civilEnd: GoogleData.civil(end, offset), date: GoogleData.civil(start, offset).slice(0, 10) }
  }
  if (typeof value.sampleTime === "object" && value.sampleTime !== null) {
    const at = Date.parse(value.sampleTime.physicalTime)
    if (Number.isNaN(at)) return undefined
    const local = GoogleData.civil(at, offset)
    return { ...base, start: at, end: at, civilStart: local, civilEnd: local, date: local.slice(0, 10) }
  }
  if (typeof value.date === "object" && value.date !== null) {
    const d = value.date as { year?: number; month?: number; day?: number }
    const date = `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`
    if (!DataGenerator.isDate(date)) return undefined
    const start = GoogleData.physical(`${date}T00:00:00`, offset)
    return { ...base, start, end: start, civilStart: `${date}T00:00:00`, civilEnd: `${date}T00:00:00`, date }
  }
  return undefined
}

/** Every point of a type for a user between two civil dates (inclusive), generated and created, less the deleted. */
export const collect = (caller: Caller, dataType: string, from: string, to: string): Array<GoogleData.Point> => {
  const { google, state, user } = caller
  const deleted = google.deleted.get(user.userId) ?? new Set<string>()
  const created = google.created.get(user.userId) ?? new Map<string, Record<string, unknown>>()
  const out: Array<GoogleData.Point> = []
  const prefix = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/`
  const catalogue = GoogleData.catalogueOf(user, dataType)
  const generated = catalogue === undefined
    ? DataGenerator.datesBetween(from, to).flatMap((date) => GoogleData.pointsOn(state.seed, user, dataType, date))
    : catalogue
  // Water is one store for both APIs: glasses deleted or edited through Fitbit's water log
  // leave the generated ones, and the user's Fitbit logs are hydration logs too.
  const fitbitWrites = dataType === "hydration-log" ? state.data.of(user.userId) : undefined
  for (const point of generated) {
    const name = typeof point.json.name === "string" ? point.json.name : undefined
    if (name !== undefined && (deleted.has(name) || created.has(name))) continue
    if (fitbitWrites !== undefined && fitbitWrites.deleted.has(Number(point.id))) continue
    out.push(point)
  }
  for (const log of fitbitWrites?.water ?? []) {
    if (log.date < from || log.date > to) continue
    out.push(GoogleData.hydrationOfWater(user, log))
  }
  for (const [name, json] of created) {
    if (!name.startsWith(prefix) || deleted.has(name)) continue
    const point = pointOf(dataType, json, user)
    if (point === undefined) continue
    if (catalogue !== undefined || (point.date >= DataGenerator.addDays(from, -1) && point.date <= DataGenerator.addDays(to, 1))) {
      out.push(point)
    }
  }
  return out
}
/**
 * Every point of a type matching a filter, newest first.
 *
 * @since 0.1.0
 */
export const queryPoints = (caller: Caller, dataType: string, filter: string | undefined) =>
  Effect.gen(function*() {
    if (GoogleData.isCatalogue(dataType)) {
      if (filter !== undefined && filter.trim() !== "") {
        return yield* Effect.fail(invalid(`Data type ${dataType} has no time to filter on.`))
      }
      return collect(caller, dataType, "", "").sort((a, b) => (a.id ?? "").localeCompare(b.id ?? ""))
    }
    const compiled = yield* compile(caller, yield* parseFilter(dataType, filter))
    const now = today(caller.state, caller.user.userId)
    const to = compiled.to ?? DataGenerator.addDays(now, 1)
    const from = compiled.from ?? DataGenerator.addDays(to, -7)
    if (to < from) return [] as Array<GoogleData.Point>
    if (DataGenerator.datesBetween(from, to).length > MAX_DAYS) {
      return yield* Effect.fail(invalid(`The filter's time range is longer than ${MAX_DAYS} days.`))
    }
    // Sleep is filed under the date it ends; a range's first night ends the day after `from`.
    const points = collect(caller, dataType, DataGenerator.addDays(from, -1), DataGenerator.addDays(to, 1))
      .filter(compiled.test)
    return points.sort((a, b) => b.start - a.start)
  })
/**
 * One identifiable point by id, generated or created, unless deleted.
 *
 * @since 0.1.0
 */
export const findPoint = (caller: Caller, dataType: string, id: string): GoogleData.Point | undefined => {
  const name = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/${id}`
  const deleted = caller.google.deleted.get(caller.user.userId)
  if (deleted?.has(name)) return undefined
  const created = caller.google.created.get(caller.user.userId)?.get(name)
  if (created !== undefined) return pointOf(dataType, created, caller.user)
  const catalogue = GoogleData.catalogueOf(caller.user, dataType)
  if (catalogue !== undefined) return catalogue.find((p) => p.id === id)
  if (!IDENTIFIABLE.has(dataType)) return undefined
    const now = today(caller.state, caller.user.userId)
  for (let back = -1; back <= 400; back++) {
    const date = DataGenerator.addDays(now, -back)
    if (date < caller.user.memberSince) break
    const hit = GoogleData.pointsOn(caller.state.seed, caller.user, dataType, date).find((p) => p.id === id)
    if (hit !== undefined) return hit
  }
  return undefined
}
