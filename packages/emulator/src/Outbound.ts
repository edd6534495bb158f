/**
 * The requests the emulator itself sends to an app's endpoints (webhook verifications and
 * notifications, Fitbit's and Google's): one request with a deadline, answering the status the
 * endpoint gave, or nothing when it gave none in time.
 *
 * @since 0.1.0
 */

/**
 * Sends one request (redirects are not followed) and answers its status; `undefined` when the
 * endpoint could not be reached, did not answer within `timeoutMillis`, or `init.signal` aborted
 * the request. The body is read (within the same deadline) and dropped.
 *
 * @since 0.1.0
 * @category requests
 */
export const statusOf = async (url: string, init: RequestInit, timeoutMillis = 5000): Promise<number | undefined> => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMillis)
  const outer = init.signal ?? undefined
  const abort = () => controller.abort()
  if (outer?.aborted === true) controller.abort()
  outer?.addEventListener("abort", abort, { once: true })
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, redirect: "manual" })
    await response.arrayBuffer().catch(() => undefined)
    return response.status
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener("abort", abort)
  }
}
