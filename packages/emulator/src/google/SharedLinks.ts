/**
 * The emulated SMART Health Links of the Google Health API v4: links a user shares (made by the
 * control handle, as the Fitbit app would), their manifest (`POST /v4/shl/m/{externalShlId}`)
 * and their files (`GET /v4/shl/r/{externalShlId}/{resourceToken}`). A link holds one FHIR R4
 * Bundle (the Patient and yesterday's step count from the same generator as the `steps` data
 * type), encrypted as JWE (`dir`, `A256GCM`) with the link's key. Passcode links lock after
 * five wrong attempts; expired or locked links answer 404; a file `location` lives one hour.
 * These methods take no access token: the link authorises.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as crypto from "node:crypto"
import type { State } from "../EmulatorState.js"
import type * as Registry from "../Registry.js"
import { googleError, invalid, notFound, readJson } from "./Answers.js"
import * as Generated from "./Generated.js"
import * as GoogleState from "./GoogleState.js"
import { civil } from "./Time.js"

type Reply = HttpServerResponse.HttpServerResponse

const ATTEMPTS = 5
const LOCATION_LIFETIME_MS = 3_600_000


/**
 * What sharing a link answers: its id, the `shlink:/` text and the values inside it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SharedLink {
  readonly externalShlId: string
  readonly link: string
  readonly key: string
  readonly passcode?: string | undefined
}

const linksOf = (state: State): Map<string, GoogleState.StoredLink> => GoogleState.of(state).sharedLinks

const base64Url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64url")

/**
 * Encrypts a text as a compact JWE with `alg: "dir"`, `enc: "A256GCM"`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const encrypt = (text: string, key: string, contentType: string, iv: Uint8Array): string => {
  const header = base64Url(JSON.stringify({ alg: "dir", enc: "A256GCM", cty: contentType }))
  const cipher = crypto.createCipheriv("aes-256-gcm", Buffer.from(key, "base64url"), iv)
  cipher.setAAD(Buffer.from(header, "ascii"))
  const sealed = Buffer.concat([cipher.update(text, "utf8"), cipher.final()])
  return [header, "", base64Url(iv), base64Url(sealed), base64Url(cipher.getAuthTag())].join(".")
}

/** Bytes derived from the seed, so the same seed shares the same links. */
const derived = (seed: string, label: string, length: number): Uint8Array =>
  crypto.createHash("sha256").update(`${seed}\u0000${label}`).digest().subarray(0, length)

/**
 * The FHIR R4 Bundle a user's link shares: the Patient and yesterday's steps.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const bundleOf = (seed: string, user: Registry.User, now: number) => {
  const yesterday = civil(now - 86_400_000, user.offsetFromUTCMillis).slice(0, 10)
  const steps = Generated.pointsOn(seed, user, "steps", yesterday)
    .reduce((sum, p) => sum + Number((p.json.steps as { count: string }).count), 0)
  return {
    resourceType: "Bundle",
    type: "collection",
    entry: [
      {
        fullUrl: "resource:0",
        resource: { resourceType: "Patient", id: user.userId, name: [{ text: user.displayName }], birthDate: user.dateOfBirth }
      },
      {
        fullUrl: "resource:1",
        resource: {
          resourceType: "Observation",
          status: "final",
          code: { coding: [{ system: "http://loinc.org", code: "41950-7", display: "Number of steps in 24 hour Measured" }] },
          subject: { reference: "resource:0" },
          effectiveDateTime: yesterday,
          valueQuantity: { value: steps, unit: "steps", system: "http://unitsofmeasure.org", code: "{steps}" }
        }
      }
    ]
  }
}

/**
 * Shares a link for a user, as the Fitbit app does (control handle and `POST /__emulator/shared-links`).
 *
 * @since 0.1.0
 * @category controls
 */
export const share = (
  state: State,
  input: { readonly userId: string; readonly passcode?: string; readonly label?: string; readonly expiresInSeconds?: number }
): SharedLink => {
  const user = state.registry.users.get(input.userId)
  if (user === undefined) throw new Error(`no such user: ${input.userId}`)
  const all = linksOf(state)
  const n = all.size + 1
  const id = base64Url(derived(state.seed, `shl-id:${input.userId}:${n}`, 18))
  const key = base64Url(derived(state.seed, `shl-key:${id}`, 32))
  const now = state.clock.now()
  const json = JSON.stringify(bundleOf(state.seed, user, now))
  const jwe = encrypt(json, key, "application/fhir+json", derived(state.seed, `shl-iv:${id}`, 12))
  const expiresAt = input.expiresInSeconds === undefined ? undefined : now + input.expiresInSeconds * 1000
  all.set(id, {
    id,
    userId: input.userId,
    key,
    passcode: input.passcode,
    label: input.label,
    expiresAt,
    attemptsLeft: ATTEMPTS,
    files: [{ contentType: "application/fhir+json", jwe }],
    locations: new Map()
  })
  const payload = {
    url: `${state.baseUrl}/v4/shl/m/${id}`,
    key,
    flag: input.passcode === undefined ? "L" : "LP",
    ...(expiresAt === undefined ? {} : { exp: Math.floor(expiresAt / 1000) }),
    ...(input.label === undefined ? {} : { label: input.label }),
    v: 1
  }
  return { externalShlId: id, link: `shlink:/${base64Url(JSON.stringify(payload))}`, key, passcode: input.passcode }
}

const live = (state: State, id: string): GoogleState.StoredLink | undefined => {
  const link = linksOf(state).get(id)
  if (link === undefined || link.attemptsLeft <= 0) return undefined
  if (link.expiresAt !== undefined && state.clock.now() >= link.expiresAt) return undefined
  return link
}

const manifest = (state: State, id: string): Effect.Effect<Reply, Reply, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const link = live(state, id)
    if (link === undefined) return yield* Effect.fail(notFound("Shared link not found or no longer valid."))
    const body = yield* readJson
    if (typeof body.recipient !== "string" || body.recipient.trim() === "") {
      return yield* Effect.fail(invalid("recipient is required."))
    }
    const max = body.embeddedLengthMax
    if (max !== undefined && !(Number.isInteger(max) && (max as number) >= 0)) {
      return yield* Effect.fail(invalid("embeddedLengthMax must be a non-negative integer."))
    }
    if (link.passcode !== undefined && body.passcode !== link.passcode) {
      link.attemptsLeft -= 1
      return yield* Effect.fail(googleError(401, "UNAUTHENTICATED", `Invalid passcode. ${link.attemptsLeft} attempts remaining.`, {
        reason: "SHL_PASSCODE_INVALID"
      }))
    }
    const now = state.clock.now()
    const files = link.files.map((file, index) => {
      if (typeof max === "number" && file.jwe.length <= max) return { contentType: file.contentType, embedded: file.jwe }
      const token = base64Url(crypto.randomBytes(24))
      link.locations.set(token, { file: index, expiresAt: now + LOCATION_LIFETIME_MS })
      return { contentType: file.contentType, location: `${state.baseUrl}/v4/shl/r/${link.id}/${token}` }
    })
    return HttpServerResponse.unsafeJson({ status: "finalized", files })
  })

const file = (state: State, id: string, token: string): Effect.Effect<Reply, Reply> => {
  const link = live(state, id)
  const location = link?.locations.get(token)
  if (link === undefined || location === undefined || state.clock.now() >= location.expiresAt) {
    return Effect.fail(notFound("Shared file not found or its location has expired."))
  }
  return Effect.succeed(HttpServerResponse.text(link.files[location.file]!.jwe, { contentType: "application/jose" }))
}

/**
 * Answers `shl/m/{id}` and `shl/r/{id}/{token}` (the segments after `/v4/`); `undefined` for
 * other paths.
 *
 * @since 0.1.0
 * @category routes
 */
export const handle = (
  state: State,
  method: string,
  segments: ReadonlyArray<string>
): Effect.Effect<Reply, Reply, HttpServerRequest.HttpServerRequest> | undefined => {
  if (segments[0] !== "shl") return undefined
  if (segments[1] === "m" && segments.length === 3 && method === "POST") return manifest(state, segments[2]!)
  if (segments[1] === "r" && segments.length === 4 && method === "GET") return file(state, segments[2]!, segments[3]!)
  return Effect.fail(notFound("Method not found."))
}
