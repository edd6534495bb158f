/**
 * Fitbit's `pagination.next` followed as an async iterable, for the Promise clients' `pages`.
 *
 * @since 0.1.0
 */
import { Errors, FitbitResources } from "@fitbit-effect/core/fitbit"
import * as Either from "effect/Either"
import * as ClientRuntime from "./ClientRuntime.js"

/**
 * Follows Fitbit's `pagination.next` for a Promise client: fetches `path`, yields the answer, and
 * fetches the `next` page while the answer is 2xx, names one and `maxPages` (default 100) is not
 * reached. A `next` on another origin or resource is not followed: the iteration throws a
 * `DecodeError` (a token is never sent to a host named in a body).
 *
 * @since 0.1.0
 * @category pagination
 */
export async function* followPages<A>(
  path: string,
  fetchPage: (path: string) => Promise<A>,
  answerOf: (page: A) => { readonly status: number; readonly url: string; readonly body: unknown },
  maxPages = 100
): AsyncGenerator<A, void, undefined> {
  if (!(Number.isInteger(maxPages) && maxPages > 0)) throw ClientRuntime.invalid("maxPages", "must be a positive whole number")
  const resource = path.split("?")[0]!
  let pagePath = path
  for (let page = 1; ; page++) {
    const result = await fetchPage(pagePath)
    yield result
    const { body, status, url } = answerOf(result)
    const next = (body as { pagination?: { next?: unknown } } | null | undefined)?.pagination?.next
    if (status >= 300 || typeof next !== "string" || next === "" || page >= maxPages) return
    const query = FitbitResources.Common.nextPageQuery(next, url, resource)
    if (Either.isLeft(query)) throw new Errors.DecodeError({ status, method: "GET", url, reason: query.left })
    pagePath = resource + query.right
  }
}
