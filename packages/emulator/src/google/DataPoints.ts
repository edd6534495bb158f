/**
 * The emulated `users/{user}/dataTypes/{dataType}/dataPoints` methods: list and reconcile
 * (filters, page tokens), get, create, patch and `:batchDelete`. Each write notifies the
 * subscriptions of its type in the background (`Notifications.publish`: `UPSERT` for create and
 * patch, `DELETE` for batchDelete).
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import * as Http from "../Http.js"
import type * as Registry from "../Registry.js"
import { googleError, invalid, notFound, operation, readJson } from "./Answers.js"
import { type Caller, type UserHandler, categoryOf, checkUser, requireScope } from "./Caller.js"
import type * as GoogleData from "./GoogleData.js"
import * as GoogleState from "./GoogleState.js"
import * as Notifications from "./Notifications.js"
import { pageSizeOf, paginate } from "./Paging.js"
import { fieldOf, findPoint, pointOf, queryPoints } from "./Store.js"
import * as RollUps from "./RollUps.js"
import * as Rules from "./Rules.js"
import * as Tcx from "./Tcx.js"

type Reply = HttpServerResponse.HttpServerResponse
const listPoints = (caller: Caller, dataType: string, query: Record<string, string>, reconcile: boolean, path: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "read")
    const rule = Rules.ruleOf(dataType)
    const family = query.dataSourceFamily
    if (family !== undefined && family !== "") {
      if (!/^users\/[^/]+\/dataSourceFamilies\/(all-sources|google-wearables|google-sources|self-sources)$/.test(family)) {
        return yield* Effect.fail(invalid(`Invalid data source family ${family}.`))
      }
      if (!reconcile && rule !== undefined && !rule.listBySourceFamily) {
        return yield* Effect.fail(invalid(`Filtering by data source family is not supported for data type ${dataType}.`))
      }
    }
    // Google's page sizes per type: 1440 by default and at most 10000, 25 and 25 for sessions; larger sizes are truncated.
    const size = yield* pageSizeOf(query.pageSize, rule?.page ?? { size: 1440, max: 10000 })
    const points = yield* queryPoints(caller, dataType, query.filter)
    const { nextPageToken, page } = yield* paginate(points, {
      token: query.pageToken,
      size,
      key: `${path}|${query.filter ?? ""}|${size}|${query.dataSourceFamily ?? ""}`,
      state: caller.state
    })
    const dataPoints = page.map((p) => {
      if (!reconcile) return p.json
      const { dataSource: _source, name, ...rest } = p.json
      return name === undefined ? rest : { dataPointName: name, ...rest }
    })
    return Http.json({ dataPoints, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
  })
const DATA_POINT_ID = /^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/
const validatePayload = (dataType: string, body: Record<string, unknown>, user: Registry.User): Effect.Effect<void, Reply> => {
  const field = fieldOf(dataType)
  if (typeof body[field] !== "object" || body[field] === null) {
    return Effect.fail(invalid(`The data point must hold a ${field} value for data type ${dataType}.`))
  }
  return pointOf(dataType, body, user) === undefined
    ? Effect.fail(invalid(`The ${field} value needs a valid interval, sampleTime or date.`))
    : Effect.void
}
const createPoint = (caller: Caller, dataType: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "write")
    const body = yield* readJson
    yield* validatePayload(dataType, body, caller.user)
  const prefix = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/`
    let id: string
    if (typeof body.name === "string" && body.name !== "") {
      id = body.name.split("/").pop()!
      if (!DATA_POINT_ID.test(id)) return yield* Effect.fail(invalid("A client-provided data point id must be 4-63 lowercase letters, digits or hyphens."))
    } else {
      id = `emu-${String(caller.google.nextId++).padStart(6, "0")}-${DataGenerator.hash(JSON.stringify(body)).toString(16)}`
    }
    const name = prefix + id
    const created = GoogleState.perUser(caller.google.created, caller.user.userId, () => new Map())
    if (created.has(name) || findPoint(caller, dataType, id) !== undefined) {
      return yield* Effect.fail(googleError(409, "ALREADY_EXISTS", `Data point ${name} already exists.`))
    }
    const { dataSource, name: _name, ...values } = body
    const stored = { name, dataSource: dataSource ?? { recordingMethod: "MANUAL", platform: "GOOGLE_WEB_API" }, ...values }
    created.set(name, stored)
    caller.google.deleted.get(caller.user.userId)?.delete(name)
    caller.state.counters.bump("writes")
    void Notifications.publish(caller.state, [
      Notifications.changeOf(caller.user, dataType, "UPSERT", [pointOf(dataType, stored, caller.user)])
    ])
    return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.DataPoint", ...stored }))
  })
const patchPoint = (caller: Caller, dataType: string, id: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "write")
    const body = yield* readJson
    const before = findPoint(caller, dataType, id)
    if (before === undefined) return yield* Effect.fail(notFound())
    yield* validatePayload(dataType, body, caller.user)
  const name = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/${id}`
    const { dataSource, name: _name, ...values } = body
    const stored = { name, dataSource: dataSource ?? { recordingMethod: "MANUAL", platform: "GOOGLE_WEB_API" }, ...values }
    GoogleState.perUser(caller.google.created, caller.user.userId, () => new Map()).set(name, stored)
    caller.state.counters.bump("writes")
    // The point's new range and, when it moved, the one it left.
    void Notifications.publish(caller.state, [
      Notifications.changeOf(caller.user, dataType, "UPSERT", [pointOf(dataType, stored, caller.user), before])
    ])
    return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.DataPoint", ...stored }))
  })
const NAME = /^users\/([^/]+)\/dataTypes\/([^/]+)\/dataPoints\/([^/]+)$/
const batchDelete = (caller: Caller, parentType: string) =>
  Effect.gen(function*() {
    const body = yield* readJson
    const names = body.names
    if (!Array.isArray(names) || names.length === 0 || names.length > 10000 || !names.every((n) => typeof n === "string")) {
      return yield* Effect.fail(invalid("names must hold 1 to 10000 data point names."))
    }
    const resolved = new Set<string>()
    const points: Array<GoogleData.Point> = []
    for (const raw of names as Array<string>) {
      const match = NAME.exec(raw)
      if (match === null) return yield* Effect.fail(invalid(`Invalid data point name ${raw}.`))
      yield* checkUser(caller, match[1]!)
      if (parentType !== "-" && match[2] !== parentType) {
        return yield* Effect.fail(invalid(`Data point ${raw} is not in the parent collection.`))
      }
      if (!Rules.supports(match[2]!, "batchDelete")) return yield* Effect.fail(invalid(`Data type ${match[2]} does not support batchDelete.`))
      yield* requireScope(caller, categoryOf(match[2]!), "write")
      const point = findPoint(caller, match[2]!, match[3]!)
      if (point === undefined) return yield* Effect.fail(notFound(`Data point ${raw} was not found.`))
      const name = `users/${caller.healthUserId}/dataTypes/${match[2]}/dataPoints/${match[3]}`
      if (resolved.has(name)) continue
      points.push(point)
      resolved.add(name)
    }
    const deleted = GoogleState.perUser(caller.google.deleted, caller.user.userId, () => new Set<string>())
    const created = caller.google.created.get(caller.user.userId)
    for (const name of resolved) {
      deleted.add(name)
      created?.delete(name)
    }
    caller.state.counters.bump("writes")
    // One notification per point deleted.
    void Notifications.publish(caller.state, points.map((point) => Notifications.changeOf(caller.user, point.dataType, "DELETE", [point])))
    return Http.json(operation(caller, { "@type": "type.googleapis.com/google.protobuf.Empty" }))
  })
const DATA_TYPE = /^[a-z][a-z0-9-]{0,62}$/

/** Runs a method only where Google's rules give the data type that method. */
const ifSupported = (dataType: string, method: Rules.Method, run: () => Exclude<ReturnType<UserHandler>, undefined>) =>
  Rules.supports(dataType, method) ? run() : Effect.fail(invalid(`Data type ${dataType} does not support ${method}.`))

/**
 * Answers the `users/{user}/dataTypes/{dataType}/dataPoints…` methods (`rest` is the path after
 * the user segment); `undefined` for any other path. A method the data type does not have (by
 * the emulator's `Rules`) is `INVALID_ARGUMENT`.
 *
 * @since 0.1.0
 * @category routes
 */
export const handle: UserHandler = (caller, method, rest, query) => {
  if (rest[0] !== "dataTypes" || rest.length < 3) return undefined
  const dataType = rest[1]!
  if (dataType !== "-" && !DATA_TYPE.test(dataType)) return Effect.fail(invalid(`Invalid data type ${dataType}.`))
  const collection = rest[2]!
  const parentPath = `users/${caller.healthUserId}/dataTypes/${dataType}`
  if (rest.length === 3) {
    if (dataType === "-" && collection !== "dataPoints:batchDelete") return Effect.fail(invalid("A data type is required."))
    switch (`${method} ${collection}`) {
      case "GET dataPoints":
        return ifSupported(dataType, "list", () => listPoints(caller, dataType, query, false, parentPath))
      case "GET dataPoints:reconcile":
        return ifSupported(dataType, "reconcile", () => listPoints(caller, dataType, query, true, `${parentPath}:reconcile`))
      case "POST dataPoints":
        return ifSupported(dataType, "create", () => createPoint(caller, dataType))
      case "POST dataPoints:batchDelete":
        return batchDelete(caller, dataType)
      case "POST dataPoints:rollUp":
        return RollUps.rollUp(caller, dataType, `${parentPath}:rollUp`)
      case "POST dataPoints:dailyRollUp":
        return RollUps.dailyRollUp(caller, dataType)
    }
  }
  if (rest.length === 4 && collection === "dataPoints") {
    const id = rest[3]!
    if (method === "GET" && dataType === "exercise" && id.endsWith(":exportExerciseTcx")) {
      return Tcx.exportExercise(caller, id.slice(0, -":exportExerciseTcx".length), query)
    }
    if (method === "GET") {
      return ifSupported(dataType, "get", () =>
        Effect.gen(function*() {
          yield* requireScope(caller, categoryOf(dataType), "read")
          const point = findPoint(caller, dataType, id)
          return point === undefined ? yield* Effect.fail(notFound(`Data point ${id} was not found.`)) : Http.json(point.json)
        }))
    }
    if (method === "PATCH") return ifSupported(dataType, "patch", () => patchPoint(caller, dataType, id))
  }
  return undefined
}
