/**
 * SMART Health Links as the Google Health API v4 serves them (`shl.m.getShlManifest`,
 * `shl.r.get`). A person shares a link (`shlink:/…`) from the Fitbit app; its recipient reads the
 * link ({@link parseLink}), fetches the manifest (`POST /v4/shl/m/{externalShlId}` with the
 * passcode when the link has the `P` flag), then each file, embedded in the manifest or at its
 * `location` (`GET /v4/shl/r/{externalShlId}/{resourceToken}`), and opens it with the link's key
 * ({@link decryptFile}: JWE compact, `dir` + `A256GCM`). No access token is sent: the link
 * itself authorises, so these calls need no Google OAuth grant.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Errors from "../../Errors.js"
import * as GoogleHealthHttp from "../GoogleHealthHttp.js"
import * as GoogleResourceName from "../GoogleResourceName.js"

type Failure = Errors.RequestFailure
type Http = GoogleHealthHttp.GoogleHealthHttp

/**
 * One file of a manifest: embedded (the JWE itself) or at a short-lived `location`.
 *
 * @since 0.1.0
 * @category models
 */
export const ManifestFile = Schema.Struct({
  /** `application/smart-health-card`, `application/fhir+json`, `application/smart-api-access`. */
  contentType: Schema.String,
  location: Schema.optional(Schema.String),
  embedded: Schema.optional(Schema.String)
})
/** @since 0.1.0 */
export type ManifestFile = typeof ManifestFile.Type

/**
 * A link's manifest (SMART Health Links, `application/json`).
 *
 * @since 0.1.0
 * @category models
 */
export const Manifest = Schema.Struct({
  /** `finalized`, `can-change` or `no-longer-valid` (absent from older servers). */
  status: Schema.optional(Schema.String),
  files: Schema.optionalWith(Schema.Array(ManifestFile), { default: () => [] })
})
/** @since 0.1.0 */
export type Manifest = typeof Manifest.Type

/**
 * A raw answer (`google.api.HttpBody`): its content type and its text.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpBody {
  readonly contentType: string
  readonly data: string
}

/**
 * What a `shlink:/` link carries. `key` is the file key (base64url, 32 bytes), kept `Redacted`.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkPayload {
  /** The manifest URL. */
  readonly url: string
  readonly key: Redacted.Redacted<string>
  /** Expiry, epoch seconds. */
  readonly exp?: number
  /** `L` long-term, `P` passcode required, `U` direct file (no manifest). */
  readonly flag?: string
  readonly label?: string
  /** The id of the link in Google's manifest URL (`…/v4/shl/m/{externalShlId}`), when it is one. */
  readonly externalShlId?: string
}

/**
 * The manifest request (`Schema$ManifestParams`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ManifestParams {
  /** Who is asking, shown to the sharer (required by SMART Health Links). */
  readonly recipient: string
  /** The link's passcode, when its flag has `P`. */
  readonly passcode?: string | Redacted.Redacted<string> | undefined
  /** Embed files up to this many bytes in the manifest instead of giving a `location`. */
  readonly embeddedLengthMax?: number | undefined
}

const SHL_ID = /^[A-Za-z0-9._~-]{1,256}$/
const RESOURCE_TOKEN = /^[A-Za-z0-9._~=-]{1,4096}$/

const ID_TEXT = "a non-empty id of letters, digits, '.', '_', '~' or '-'"
const checkShlId = GoogleResourceName.check("externalShlId", SHL_ID, ID_TEXT)
const checkResourceToken = GoogleResourceName.check("resourceToken", RESOURCE_TOKEN, ID_TEXT)

const base64UrlToBytes = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4)
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}

const invalidLink = (reason: string) => Either.left(new Errors.InvalidInput({ field: "link", reason }))

/**
 * Reads a SMART Health Link: `shlink:/{base64url JSON}`, alone or after a viewer URL and `#`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const parseLink = (link: string): Either.Either<LinkPayload, Errors.InvalidInput> => {
  if (typeof link !== "string") return invalidLink("must be a string")
  const at = link.indexOf("shlink:/")
  if (at === -1) return invalidLink("is not a shlink:/ link")
  const bytes = base64UrlToBytes(link.slice(at + "shlink:/".length))
  if (bytes === undefined) return invalidLink("is not base64url")
  let payload: unknown
  try {
    payload = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return invalidLink("does not hold JSON")
  }
  const p = payload as Record<string, unknown>
  if (typeof p !== "object" || p === null || typeof p.url !== "string" || typeof p.key !== "string") {
    return invalidLink("must hold a url and a key")
  }
  if (base64UrlToBytes(p.key)?.length !== 32) return invalidLink("key must be 32 bytes of base64url")
  const id = /\/v4\/shl\/m\/([A-Za-z0-9._~-]+)$/.exec(p.url.split("?")[0]!)?.[1]
  return Either.right({
    url: p.url,
    key: Redacted.make(p.key),
    ...(typeof p.exp === "number" ? { exp: p.exp } : {}),
    ...(typeof p.flag === "string" ? { flag: p.flag } : {}),
    ...(typeof p.label === "string" ? { label: p.label } : {}),
    ...(id === undefined ? {} : { externalShlId: id })
  })
}

/**
 * Fetches a link's manifest (`POST /v4/shl/m/{externalShlId}`). A wrong passcode is Google's
 * 401 (`InvalidToken` with its message), an expired or unknown link `NotFound`.
 *
 * @since 0.1.0
 * @category reading
 */
export const getManifest = (
  externalShlId: string,
  params: ManifestParams
): Effect.Effect<Manifest, Failure, Http> =>
  Effect.gen(function*() {
    const id = yield* checkShlId(externalShlId)
    if (typeof params?.recipient !== "string" || params.recipient.trim() === "") {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "recipient", reason: "must be a non-empty string" }))
    }
    const max = params.embeddedLengthMax
    if (max !== undefined && !(Number.isInteger(max) && max >= 0)) {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "embeddedLengthMax", reason: "must be a whole number of bytes" }))
    }
    const passcode = params.passcode === undefined
      ? undefined
      : Redacted.isRedacted(params.passcode)
      ? Redacted.value(params.passcode)
      : params.passcode
    return yield* GoogleHealthHttp.callDecoded({
      method: "POST",
      path: `/shl/m/${id}`,
      accessToken: null,
      idempotent: true,
      body: {
        recipient: params.recipient,
        ...(passcode === undefined ? {} : { passcode }),
        ...(max === undefined ? {} : { embeddedLengthMax: max })
      },
      secrets: passcode === undefined || passcode === "" ? [] : [passcode]
    }, Manifest)
  })

/**
 * Fetches one file of a link (`GET /v4/shl/r/{externalShlId}/{resourceToken}`): a JWE, as text.
 *
 * @since 0.1.0
 * @category reading
 */
export const getFile = (externalShlId: string, resourceToken: string): Effect.Effect<HttpBody, Failure, Http> =>
  Effect.gen(function*() {
    const id = yield* checkShlId(externalShlId)
    const token = yield* checkResourceToken(resourceToken)
    const response = yield* GoogleHealthHttp.call({
      method: "GET",
      path: `/shl/r/${id}/${token}`,
      accessToken: null,
      headers: { accept: "application/jose, */*" },
      secrets: [token]
    })
    const contentType = response.headers["content-type"] ?? "application/octet-stream"
    const body: unknown = response.body
    if (typeof body === "string") return { contentType, data: body }
    return yield* Effect.fail(
      new Errors.DecodeError({ status: response.status, method: "GET", url: response.url, reason: "expected a file body" })
    )
  })

/**
 * The file of a manifest entry: its `embedded` JWE, or the one at its `location` (which must be
 * a Google `/v4/shl/r/…` URL, so the call goes through the configured API base).
 *
 * @since 0.1.0
 * @category reading
 */
export const fetchFile = (file: ManifestFile): Effect.Effect<string, Failure, Http> => {
  if (file.embedded !== undefined) return Effect.succeed(file.embedded)
  const match = /\/v4\/shl\/r\/([^/?#]+)\/([^/?#]+)$/.exec((file.location ?? "").split(/[?#]/)[0]!)
  if (match === null) {
    return Effect.fail(new Errors.InvalidInput({ field: "location", reason: "must be a /v4/shl/r/{id}/{token} URL" }))
  }
  return Effect.map(getFile(match[1]!, match[2]!), (body) => body.data)
}

/**
 * A file opened: its content type (the JWE's `cty`) and its text (JSON for FHIR and health cards).
 *
 * @since 0.1.0
 * @category models
 */
export interface DecryptedFile {
  readonly contentType?: string
  readonly text: string
}

const cannotOpen = (reason: string) => new Errors.InvalidInput({ field: "file", reason })

/**
 * Opens a file with the link's key: JWE compact serialisation, `alg: "dir"`, `enc: "A256GCM"`,
 * optionally `zip: "DEF"`. A wrong key or a tampered file fails with `InvalidInput` on `file`.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const decryptFile = (
  jwe: string,
  key: string | Redacted.Redacted<string>
): Effect.Effect<DecryptedFile, Errors.InvalidInput> =>
  Effect.gen(function*() {
    const parts = typeof jwe === "string" ? jwe.trim().split(".") : []
    if (parts.length !== 5) return yield* Effect.fail(cannotOpen("is not a JWE in compact serialisation"))
    const [protectedHeader, encryptedKey, ivText, cipherText, tagText] = parts as [string, string, string, string, string]
    const headerBytes = base64UrlToBytes(protectedHeader)
    let header: Record<string, unknown> = {}
    try {
      header = JSON.parse(new TextDecoder().decode(headerBytes ?? new Uint8Array()))
    } catch {
      return yield* Effect.fail(cannotOpen("has no readable header"))
    }
    if (header.alg !== "dir" || header.enc !== "A256GCM" || encryptedKey !== "") {
      return yield* Effect.fail(cannotOpen("must be encrypted with alg dir and enc A256GCM"))
    }
    const keyBytes = base64UrlToBytes(Redacted.isRedacted(key) ? Redacted.value(key) : key)
    if (keyBytes?.length !== 32) return yield* Effect.fail(new Errors.InvalidInput({ field: "key", reason: "must be 32 bytes of base64url" }))
    const iv = base64UrlToBytes(ivText)
    const cipher = base64UrlToBytes(cipherText)
    const tag = base64UrlToBytes(tagText)
    if (iv === undefined || cipher === undefined || tag?.length !== 16) {
      return yield* Effect.fail(cannotOpen("has a malformed iv, ciphertext or tag"))
    }
    const sealed = new Uint8Array(cipher.length + tag.length)
    sealed.set(cipher)
    sealed.set(tag, cipher.length)
    const plain = yield* Effect.tryPromise({
      try: async () => {
        const cryptoKey = await crypto.subtle.importKey("raw", keyBytes, "AES-GCM", false, ["decrypt"])
        return new Uint8Array(
          await crypto.subtle.decrypt(
            { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(protectedHeader), tagLength: 128 },
            cryptoKey,
            sealed
          )
        )
      },
      catch: () => cannotOpen("does not open with this key (wrong key or altered file)")
    })
    const bytes = header.zip === "DEF" ? yield* inflateRaw(plain) : plain
    return {
      ...(typeof header.cty === "string" ? { contentType: header.cty } : {}),
      text: new TextDecoder().decode(bytes)
    }
  })

const inflateRaw = (bytes: Uint8Array<ArrayBuffer>): Effect.Effect<Uint8Array, Errors.InvalidInput> =>
  Effect.tryPromise({
    try: async () => {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw" as CompressionFormat))
      return new Uint8Array(await new Response(stream).arrayBuffer())
    },
    catch: () => cannotOpen("is compressed (zip DEF) but does not inflate")
  })

/**
 * Opens a shared link end to end: reads it, fetches its manifest (with the passcode when its
 * flag asks for one: missing, it fails before spending one of the link's attempts), fetches and
 * decrypts every file. Answers the files in manifest order.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const open = (
  link: string,
  params: ManifestParams
): Effect.Effect<ReadonlyArray<DecryptedFile>, Failure, Http> =>
  Effect.gen(function*() {
    const payload = yield* parseLink(link)
    if (payload.flag?.includes("U")) {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "link", reason: "direct-file (U) links have no manifest" }))
    }
    if (payload.externalShlId === undefined) {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "link", reason: "is not a Google Health /v4/shl/m/ link" }))
    }
    if (payload.flag?.includes("P") && (params.passcode === undefined || params.passcode === "")) {
      return yield* Effect.fail(new Errors.InvalidInput({ field: "passcode", reason: "is required by this link (flag P)" }))
    }
    const manifest = yield* getManifest(payload.externalShlId, params)
    return yield* Effect.forEach(manifest.files, (file) =>
      Effect.flatMap(fetchFile(file), (jwe) => decryptFile(jwe, payload.key)))
  })
