/**
 * Google's subscriber-endpoint verification, performed for real against a given endpoint:
 * two POSTs of `{"type":"verification"}` with `Content-Type: application/json`, the first with
 * the configured `Authorization` value (expects `201`), the second without it (expects `401`
 * or `403`). Both must pass.
 *
 * @since 0.1.0
 */
import * as Outbound from "../Outbound.js"

/**
 * The outcome of a verification.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerificationResult {
  readonly ok: boolean
  /** Status of the POST with `Authorization` (`undefined` when it got no answer). */
  readonly withAuthorization?: number | undefined
  /** Status of the POST without it. */
  readonly withoutAuthorization?: number | undefined
  /** Why it failed, when it did. */
  readonly reason?: string | undefined
}

/** One verification POST, with or without the `Authorization` value. */
const post = (endpointUri: string, authorization: string | undefined, timeoutMillis: number) =>
  Outbound.statusOf(endpointUri, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === undefined ? {} : { authorization })
    },
    body: JSON.stringify({ type: "verification" })
  }, timeoutMillis)

/**
 * Verifies a subscriber endpoint the way Google does.
 *
 * @since 0.1.0
 * @category authorization
 */
export const verifyEndpoint = async (
  endpointUri: string,
  secret: string,
  options: { readonly timeoutMillis?: number | undefined } = {}
): Promise<VerificationResult> => {
  const timeout = options.timeoutMillis ?? 5000
  const withAuthorization = await post(endpointUri, secret, timeout)
  if (withAuthorization !== 201) {
    return {
      ok: false,
      withAuthorization,
      reason: withAuthorization === undefined
        ? "the endpoint did not answer the verification request"
        : `the verification request with Authorization answered ${withAuthorization}, expected 201`
    }
  }
  const withoutAuthorization = await post(endpointUri, undefined, timeout)
  if (withoutAuthorization !== 401 && withoutAuthorization !== 403) {
    return {
      ok: false,
      withAuthorization,
      withoutAuthorization,
      reason: `the verification request without Authorization answered ${withoutAuthorization ?? "nothing"}, expected 401 or 403`
    }
  }
  return { ok: true, withAuthorization, withoutAuthorization }
}
