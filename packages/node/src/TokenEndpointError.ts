/**
 * What `FitbitApiClient`'s token methods reject with when the token endpoint answers non-2xx:
 * simple-oauth2's `HTTPError` shape (`name`, `status`, `message`, `context`), which fitbit-node
 * code already reads, with the core tagged error behind it.
 *
 * @since 0.1.0
 */
import { STATUS_CODES } from "node:http"
import type { Errors } from "@fitbit-effect/core"

/**
 * Fitbit's error body as `context` carries it: rebuilt from the decoded error entries (messages
 * scrubbed of tokens).
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenErrorContext {
  errors: Array<{ errorType: string; fieldName?: string; message: string }>
  success: false
}

/**
 * What the token methods reject with when the token endpoint answers non-2xx: the shape of
 * simple-oauth2's `HTTPError` (`name`, `status`, `message` = the status text, `context` = the
 * error body), with the core tagged error as `cause` and its tag as `_tag` (both not enumerable,
 * so `JSON.stringify` shows what fitbit-node's error showed).
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenEndpointError extends Error {
  // simple-oauth2 sets `this.name = this.constructor.name` on an `HTTPError` whose prototype
  // has no own constructor, so its errors are named "Error"; so are these.
  override readonly name = "Error"
  readonly status: number
  override readonly message: string
  readonly context: TokenErrorContext | null
  declare readonly _tag: Errors.ApiFailure["_tag"]
  declare readonly cause: Errors.ApiFailure

  constructor(failure: Errors.ApiFailure) {
    // No message to `super`: the own properties then come in simple-oauth2's order
    // (name, status, message, context), which is what `JSON.stringify` shows.
    super()
    this.status = failure.status
    this.message = statusText(failure.status)
    this.context = failure.errors.length === 0 ? null : {
      errors: failure.errors.map((entry) => ({
        errorType: entry.errorType,
        ...(entry.fieldName === undefined ? {} : { fieldName: entry.fieldName }),
        message: entry.message
      })),
      success: false
    }
    Object.defineProperty(this, "_tag", { value: failure._tag, enumerable: false })
    Object.defineProperty(this, "cause", { value: failure, enumerable: false })
  }
}

const statusText = (status: number): string => STATUS_CODES[status] ?? `HTTP ${status}`
