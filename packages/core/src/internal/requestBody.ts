/**
 * A request body as the text that is sent and its content type, checked before anything is sent:
 * JSON, or a form encoded as fitbit-node encodes it; a ready string is sent as it is. Shared by
 * both providers' verbs. Pure.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Either from "effect/Either"
import * as Errors from "../Errors.js"
import * as FormBody from "./formBody.js"

/**
 * How an object body is encoded.
 *
 * @since 0.1.0
 * @category models
 */
export type Encoding = "json" | "form"

const CONTENT_TYPE: Record<Encoding, string> = {
  json: "application/json",
  form: "application/x-www-form-urlencoded"
}

/**
 * The request with `body` as its body, encoded as `encoding` (a string is sent as it is), or the
 * `InvalidInput` that says why it cannot be sent (it refers to itself, holds a `BigInt`, or
 * serialises to nothing).
 *
 * @since 0.1.0
 * @category encoding
 */
export const withBody = (
  request: HttpClientRequest.HttpClientRequest,
  body: unknown,
  encoding: Encoding
): Either.Either<HttpClientRequest.HttpClientRequest, Errors.InvalidInput> => {
  let text: unknown
  try {
    text = typeof body === "string"
      ? body
      : encoding === "json"
      ? JSON.stringify(body)
      : typeof body === "object" && body !== null
      ? FormBody.encode(body as { readonly [key: string]: FormBody.FormValue })
      : undefined
  } catch (error) {
    const as = encoding === "json" ? " as JSON" : ""
    return Either.left(new Errors.InvalidInput({ field: "body", reason: `cannot be serialised${as}: ${FormBody.serialiseFailure(error)}` }))
  }
  if (typeof text === "string") return Either.right(HttpClientRequest.bodyText(request, text, CONTENT_TYPE[encoding]))
  return Either.left(
    new Errors.InvalidInput({
      field: "body",
      reason: encoding === "form" ? "must be an object or a string" : "serialises to nothing (a function or a symbol?)"
    })
  )
}
