/**
 * Checking and building the resource names of the Google Health API (`users/{user}`,
 * `users/{user}/dataTypes/{dataType}/dataPoints/{id}`, `projects/{project}/subscribers/{id}`,
 * …), so that no caller-supplied id can change the path a token is sent to.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { InvalidInput } from "../Errors.js"
import * as GoogleDataTypes from "./GoogleDataTypes.js"

const USER = /^[A-Za-z0-9-]{1,63}$/
const DATA_TYPE = /^[a-z][a-z0-9-]{0,62}$/
const ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/

/**
 * A check of one path segment: the value must be a string matching `pattern`, else
 * `InvalidInput` on `field` saying it must be `what`.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (field: string, pattern: RegExp, what: string) => (value: unknown): Effect.Effect<string, InvalidInput> =>
  typeof value === "string" && pattern.test(value)
    ? Effect.succeed(value)
    : Effect.fail(new InvalidInput({ field, reason: `must be ${what}` }))

/**
 * Checks a user id: `me` (the token's user) or a Google Health user id (1–63 letters, digits, hyphens).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateUser = check("user", USER, `"me" or a health user id (1-63 letters, digits or hyphens)`)

/**
 * Checks a data-type id in kebab case, e.g. `steps`, `heart-rate`.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateDataType = check("dataType", DATA_TYPE, "a kebab-case data type such as steps or heart-rate")

/**
 * Checks a data-point, device, subscriber or subscription id.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateId = (field: string) => check(field, ID, "an id of letters, digits, '.', '_', '~' or '-'")

/**
 * Checks a Google Cloud project id or number.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateProject = check("project", PROJECT, "a Google Cloud project id or number")

/**
 * `users/{user}` (default `me`).
 *
 * @since 0.1.0
 * @category utils
 */
export const user = (userId: string = "me"): Effect.Effect<string, InvalidInput> =>
  Effect.map(validateUser(userId), (u) => `users/${u}`)

/**
 * `users/{user}/dataTypes/{dataType}`; `-` stands for every data type (batch delete).
 *
 * @since 0.1.0
 * @category utils
 */
export const dataType = (type: string, userId: string = "me"): Effect.Effect<string, InvalidInput> =>
  Effect.gen(function*() {
    const parent = yield* user(userId)
    const checked = type === "-" ? type : yield* validateDataType(type)
    if (checked !== "-" && !GoogleDataTypes.isDataTypeId(checked)) {
      return yield* new InvalidInput({
        field: "dataType",
        reason: `"${checked}" is not a Google Health data type this library knows; did you mean "${GoogleDataTypes.nearestDataType(checked)}"? For a type newer than this library, pass GoogleDataTypes.unlisted("${checked}")`
      })
    }
    return `${parent}/dataTypes/${checked}`
  })

const DATA_POINT_NAME = /^users\/([^/]+)\/dataTypes\/([^/]+)\/dataPoints\/([^/]+)$/

/**
 * Checks a full data-point name `users/{user}/dataTypes/{dataType}/dataPoints/{id}`.
 *
 * @since 0.1.0
 * @category utils
 */
export const validateDataPointName = (name: unknown): Effect.Effect<string, InvalidInput> => {
  const match = typeof name === "string" ? DATA_POINT_NAME.exec(name) : null
  if (match === null) {
    return Effect.fail(
      new InvalidInput({ field: "name", reason: "must be users/{user}/dataTypes/{dataType}/dataPoints/{id}" })
    )
  }
  return Effect.gen(function*() {
    yield* validateUser(match[1])
    yield* validateDataType(match[2])
    yield* validateId("dataPoint")(match[3])
    return name as string
  })
}

/**
 * A data-point name from its parts, or a full name checked as it is.
 *
 * @since 0.1.0
 * @category utils
 */
export const dataPoint = (
  ref: string | { readonly dataType: string; readonly id: string; readonly user?: string | undefined }
): Effect.Effect<string, InvalidInput> =>
  typeof ref === "string"
    ? validateDataPointName(ref)
    : Effect.gen(function*() {
      const parent = yield* dataType(ref.dataType, ref.user ?? "me")
      return `${parent}/dataPoints/${yield* validateId("dataPoint")(ref.id)}`
    })

/**
 * `users/{user}/pairedDevices/{device}`.
 *
 * @since 0.1.0
 * @category utils
 */
export const pairedDevice = (deviceId: string, userId: string = "me"): Effect.Effect<string, InvalidInput> =>
  Effect.gen(function*() {
    const parent = yield* user(userId)
    return `${parent}/pairedDevices/${yield* validateId("device")(deviceId)}`
  })

/**
 * `projects/{project}`.
 *
 * @since 0.1.0
 * @category utils
 */
export const project = (projectId: string): Effect.Effect<string, InvalidInput> =>
  Effect.map(validateProject(projectId), (p) => `projects/${p}`)

const SUBSCRIBER_NAME = /^projects\/([^/]+)\/subscribers\/([^/]+)$/
const SUBSCRIPTION_NAME = /^projects\/([^/]+)\/subscribers\/([^/]+)\/subscriptions\/([^/]+)$/

/**
 * Checks a subscriber name `projects/{project}/subscribers/{subscriber}`.
 *
 * @since 0.1.0
 * @category utils
 */
export const subscriber = (name: unknown): Effect.Effect<string, InvalidInput> => {
  const match = typeof name === "string" ? SUBSCRIBER_NAME.exec(name) : null
  if (match === null) {
    return Effect.fail(new InvalidInput({ field: "name", reason: "must be projects/{project}/subscribers/{subscriber}" }))
  }
  return Effect.gen(function*() {
    yield* validateProject(match[1])
    yield* validateId("subscriber")(match[2])
    return name as string
  })
}

/**
 * Checks a subscription name `projects/{project}/subscribers/{subscriber}/subscriptions/{subscription}`.
 *
 * @since 0.1.0
 * @category utils
 */
export const subscription = (name: unknown): Effect.Effect<string, InvalidInput> => {
  const match = typeof name === "string" ? SUBSCRIPTION_NAME.exec(name) : null
  if (match === null) {
    return Effect.fail(
      new InvalidInput({
        field: "name",
        reason: "must be projects/{project}/subscribers/{subscriber}/subscriptions/{subscription}"
      })
    )
  }
  return Effect.gen(function*() {
    yield* validateProject(match[1])
    yield* validateId("subscriber")(match[2])
    yield* validateId("subscription")(match[3])
    return name as string
  })
}
