/**
 * What `FitbitApiClient`'s token methods reject with when the token endpoint answers non-2xx:
 * simple-oauth2's `HTTPError` shape (`name`, `status`, `message`, `context`), which fitbit-node
 * code already reads, with the core tagged error behind it.
 *
 * @since 0.1.0
 */
import { STATUS_CODES } from "node:http"
import type { Errors } from "@fitbit-effect/core/kernel"

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
    // `message` stays fitbit-node's (the status text); what happened and what to do go where a
    // person reads them: `String(error)` and the first line of the stack (`console.error`).
    const [, ...frames] = (this.stack ?? "").split("\n")
    Object.defineProperty(this, "stack", { value: [this.toString(), ...frames].join("\n"), enumerable: false, writable: true, configurable: true })
  }

  /** `Error: Bad Request: <what the endpoint said>; <what to do>`. */
  override toString(): string {
    const failure = this.cause
    const fix = FIXES[failure._tag]
    return `Error: ${this.message}: ${failure.message}${fix === undefined ? "" : `; ${fix}`}`
  }
}

const FIXES: Partial<Record<Errors.ApiFailure["_tag"], string>> = {
  InvalidGrant: "the code or refresh token was used, expired or revoked: send the user to authorize again",
  InvalidClient: "the client id or secret is wrong: copy them again from your app's settings",
  ValidationFailed: "the request was refused as sent (a redirect URI that differs from the authorization's is the usual cause)",
  RateLimited: "too many token requests: wait before trying again",
  ServerError: "the provider failed: try again later"
}

const statusText = (status: number): string => STATUS_CODES[status] ?? `HTTP ${status}`
