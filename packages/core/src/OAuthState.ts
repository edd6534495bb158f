/**
 * The OAuth `state` parameter: an unguessable value bound to the user's browser session
 * before the redirect to the provider, and checked (in constant time) when the user comes
 * back, so a forged callback cannot plant someone else's grant (CSRF).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { InvalidInput } from "./Errors.js"
import * as Pkce from "./Pkce.js"
import { constantTimeEqual } from "./internal/secret.js"

/**
 * The callback's `state` was missing or did not match the one issued.
 *
 * @since 0.1.0
 * @category errors
 */
export class StateMismatch extends Schema.TaggedError<StateMismatch>()("StateMismatch", {
  reason: Schema.Literal("missing", "mismatch")
}) {
  override get message(): string {
    return this.reason === "missing"
      ? "StateMismatch: the callback carried no state"
      : "StateMismatch: the callback's state does not match the one issued"
  }
}

/**
 * A fresh state: `bytes` random bytes (default 32; at least 16 are used) from Web Crypto, base64url
 * without padding. A size that is not a positive number (`NaN` from an unset environment variable,
 * say) fails with `InvalidInput` rather than yield an empty state. Keep the state in the user's
 * session, check it with {@link verify} on the callback, and delete it then: each state is used once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (bytes = 32): Effect.Effect<string, InvalidInput> =>
  typeof bytes !== "number" || !Number.isFinite(bytes) || bytes <= 0
    ? Effect.fail(new InvalidInput({ field: "bytes", reason: "must be a positive number of random bytes (default 32)" }))
    : Effect.sync(() => Pkce.base64Url(crypto.getRandomValues(new Uint8Array(Math.max(16, Math.floor(bytes))))))

/**
 * Checks the `state` a callback carried against the one issued.
 *
 * @since 0.1.0
 * @category authorization
 */
export const verify = (
  expected: string,
  received: string | null | undefined
): Effect.Effect<void, StateMismatch> =>
  received === null || received === undefined || received === ""
    ? Effect.fail(new StateMismatch({ reason: "missing" }))
    : expected !== "" && constantTimeEqual(expected, received)
    ? Effect.void
    : Effect.fail(new StateMismatch({ reason: "mismatch" }))
