/**
 * Checking the URLs and paths a request is built from, so that a token is never sent
 * anywhere but the configured API host. The checks are pure and answer an `Either` (which is
 * also an `Effect`), so the request pipeline runs them without a fiber step.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { InvalidInput } from "../Errors.js"

/**
 * Drops trailing slashes.
 *
 * @since 0.1.0
 * @category formatting
 */
export const trimSlash = (url: string): string => url.replace(/\/+$/, "")

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/**
 * Whether a host name is on this machine (`localhost`, `127.0.0.0/8`, `[::1]`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.test(hostname)

/**
 * Checks an endpoint URL: absolute, no credentials, and https unless the host is loopback.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateEndpoint = (field: string, url: string): Either.Either<string, InvalidInput> => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return Either.left(new InvalidInput({ field, reason: `"${url}" is not an absolute URL` }))
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return Either.left(new InvalidInput({ field, reason: "a URL must not carry credentials" }))
  }
  if (parsed.protocol === "https:") return Either.right(url)
  if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname)) return Either.right(url)
  return Either.left(new InvalidInput({ field, reason: "must be https (http is allowed only on loopback hosts)" }))
}

const CONTROL = /[\u0000-\u001f\u007f]/
const NON_ASCII = /[^\u0000-\u007f]/

/**
 * The longest path (with its query) a call may name; longer ones are refused before sending.
 *
 * @since 0.1.0
 * @category validation
 */
export const MAX_PATH_LENGTH = 2048

/**
 * Paths every rule of {@link validatePath} accepts at a glance: one or more `/` segments of
 * letters, digits, `-`, `_` and `~`, dots only between them (so no segment is `.` or `..`), an
 * optional trailing `/`; no `%`, `?`, `:`, `#`, `\\`, space or anything outside ASCII. Anything else
 * goes through every rule.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-]+(?:\.[A-Za-z0-9_~-]+)*)+\/?$/

const codePoint = (text: string): string => {
  const match = NON_ASCII.exec(text)
  const char = match === null ? "" : String.fromCodePoint(text.codePointAt(match.index)!)
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} at index ${match?.index ?? 0}`
}

/**
 * Checks an API path: at most {@link MAX_PATH_LENGTH} characters of ASCII (percent-encoded
 * included: look-alikes of `.` and `/` such as U+FF0E never pass), starts with one `/`, holds no
 * scheme, host, `..`, backslash, fragment, whitespace or control characters. A query string is
 * allowed.
 *
 * @since 0.1.0
 * @category validation
 */
export const validatePath = (path: unknown): Either.Either<string, InvalidInput> =>
  // Most paths are plain segments: one test settles them (see PLAIN_PATH).
  isPlainPath(path) ? Either.right(path) : validatePathByRules(path)

/**
 * Whether a path is plain (`PLAIN_PATH`), which every rule of {@link validatePath} accepts.
 *
 * @since 0.1.0
 * @category validation
 */
export const isPlainPath = (path: unknown): path is string =>
  typeof path === "string" && path.length <= MAX_PATH_LENGTH && PLAIN_PATH.test(path)

/**
 * {@link validatePath}'s rules, one by one, each failure naming what to fix.
 *
 * @since 0.1.0
 * @category validation
 */
export const validatePathByRules = (path: unknown): Either.Either<string, InvalidInput> => {
  const fail = (reason: string) => Either.left(new InvalidInput({ field: "path", reason }))
  if (typeof path !== "string") return fail("must be a string")
  if (path.length > MAX_PATH_LENGTH) return fail(`is ${path.length} characters long; the limit is ${MAX_PATH_LENGTH}`)
  if (NON_ASCII.test(path)) return fail(`must be ASCII (found ${codePoint(path)}); percent-encode other characters in the query`)
  if (CONTROL.test(path)) return fail("must not contain control characters such as CR or LF")
  if (!path.startsWith("/")) return fail(`must start with "/"`)
  if (path.startsWith("//")) return fail("must not name a host")
  const pathname = path.split("?")[0]!
  if (pathname.includes("://") || /^\/?[a-z][a-z0-9+.-]*:/i.test(pathname)) return fail("must not hold a scheme")
  if (pathname.includes("\\")) return fail("must not contain a backslash")
  if (path.includes("#")) return fail("must not contain a fragment")
  if (/\s/.test(path)) return fail("must not contain whitespace")
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return fail("holds a malformed percent-encoding")
  }
  if (decoded.split("/").some((segment) => segment === ".." || segment === ".")) {
    return fail(`must not contain "." or ".." segments`)
  }
  if (CONTROL.test(decoded) || decoded.includes("\\")) return fail("must not encode control characters or backslashes")
  if (NON_ASCII.test(decoded)) return fail(`must not percent-encode characters outside ASCII in the path (found ${codePoint(decoded)})`)
  return Either.right(path)
}

/**
 * Headers a caller may not set: the transport owns them (message framing, the connection, the
 * host the bearer token is sent to), so a caller's value could only desynchronise the connection
 * or move the token elsewhere.
 *
 * @since 0.1.0
 * @category validation
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "upgrade",
  "expect"
])

/**
 * Checks extra headers: names are HTTP tokens and not one of {@link RESERVED_HEADERS}, values
 * hold no CR, LF or NUL.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateHeaders = (
  headers: Readonly<Record<string, unknown>> | undefined
): Either.Either<Record<string, string>, InvalidInput> => {
  const out: Record<string, string> = {}
  if (headers === undefined || headers === null) return Either.right(out)
  if (typeof headers !== "object") {
    return Either.left(new InvalidInput({ field: "headers", reason: "must be an object of header names to values" }))
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return Either.left(new InvalidInput({ field: "headers", reason: `"${name}" is not a valid header name` }))
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      return Either.left(
        new InvalidInput({ field: "headers", reason: `${name} is set by the HTTP transport and cannot be sent as an extra header; remove it` })
      )
    }
    const text = String(value)
    if (/[\r\n\0]/.test(text)) {
      return Either.left(new InvalidInput({ field: "headers", reason: `the value of ${name} holds CR, LF or NUL` }))
    }
    out[name] = text
  }
  return Either.right(out)
}

/**
 * Checks an access token: a non-empty string (plain or `Redacted`) without whitespace or NUL;
 * answers it in clear for the `Authorization` header.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateToken = (token: unknown): Either.Either<string, InvalidInput> => {
  const value = Redacted.isRedacted(token) ? Redacted.value(token as Redacted.Redacted<unknown>) : token
  return typeof value === "string" && value !== "" && !/[\s\0]/.test(value)
    ? Either.right(value)
    : Either.left(new InvalidInput({ field: "accessToken", reason: "must be a non-empty token without whitespace" }))
}

/**
 * The headers of an API call, checked: `Authorization: Bearer <token>`, `Accept: application/json`,
 * then `base` (provider defaults such as `accept-language`), then the caller's extra headers
 * (names lower-cased; they win over the defaults).
 *
 * @since 0.1.0
 * @category validation
 */
export const bearerHeaders = (
  accessToken: unknown,
  extra: Readonly<Record<string, unknown>> | undefined,
  base?: Readonly<Record<string, string>>
): Either.Either<Record<string, string>, InvalidInput> => {
  const token = validateToken(accessToken)
  if (Either.isLeft(token)) return Either.left(token.left)
  const checked = validateHeaders(extra)
  if (Either.isLeft(checked)) return Either.left(checked.left)
  const headers: Record<string, string> = { authorization: `Bearer ${token.right}`, accept: "application/json", ...base }
  for (const name in checked.right) headers[name.toLowerCase()] = checked.right[name]!
  return Either.right(headers)
}
