/**
 * Shared test fixtures: a Fitbit client wired to a recording mock `HttpClient`, realistic
 * credentials, and Fitbit-shaped bodies.
 */
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Tracer } from "effect"
import { FitbitConfig, FitbitHttp, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"

export const CLIENT_ID = "23BCDE"
export const CLIENT_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
/** A Fitbit-style access token (a JWT). */
export const ACCESS_TOKEN =
  "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIyM0JDREUiLCJzdWIiOiJBQkMxMjMiLCJpc3MiOiJGaXRiaXQifQ.q9Z2xN4sL0pWm3Yv8tR1uKbE7cHjDf5aGi6oPnQwXyz"
export const REFRESH_TOKEN = "c8f3e1a9b2d74f6e8a0b5c3d2e1f4a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5"
/** A short token that no pattern would recognise: only the request's own secrets catch it. */
export const SHORT_TOKEN = "tk-7QwE"

export const RATE_LIMIT_HEADERS = {
  "fitbit-rate-limit-limit": "150",
  "fitbit-rate-limit-remaining": "149",
  "fitbit-rate-limit-reset": "1234"
}

export const tokenBody = (overrides: Record<string, unknown> = {}) => ({
  access_token: ACCESS_TOKEN,
  expires_in: 28800,
  refresh_token: REFRESH_TOKEN,
  scope: "heartrate profile activity sleep",
  token_type: "Bearer",
  user_id: "ABC123",
  ...overrides
})

export const fitbitError = (errorType: string, message: string, fieldName?: string) => ({
  errors: [{ errorType, message, ...(fieldName === undefined ? {} : { fieldName }) }],
  success: false
})

/**
 * A client on a recording mock. `FitbitHttp`, `FitbitConfig` and `HttpClient` are all provided.
 * It never retries (one answer per call, no backoff sleeps under `TestClock`); retry behaviour
 * has its own tests (`RetryPolicy.test.ts`).
 */
export const setup = (
  handler: (request: MockHttpClient.RecordedRequest) => MockHttpClient.MockAnswer,
  options: Partial<FitbitConfig.Options> = {}
) => {
  const mock = MockHttpClient.make(handler)
  const layer = FitbitHttp.layer.pipe(
    Layer.provideMerge(FitbitConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options })),
    Layer.provideMerge(mock.layer),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )
  return { mock, layer }
}

/** A case of {@link refusedBeforeSending}: its name, the field the error must name, the program. */
export type RefusalCase = readonly [name: string, field: string, program: Effect.Effect<unknown, { readonly _tag: string }, any>]

/**
 * One test per case: the program, on a client that would answer 200, fails with `InvalidInput`
 * naming `field`, and no request was sent.
 */
export const refusedBeforeSending = (cases: ReadonlyArray<RefusalCase>): void => {
  for (const [name, field, program] of cases) {
    it.effect(name, () => {
      const { layer, mock } = setup(() => ({ status: 200, body: {} }))
      return Effect.gen(function*() {
        const error = yield* Effect.flip(program.pipe(Effect.provide(layer)))
        expect(error._tag).toBe("InvalidInput")
        expect((error as unknown as { field: string }).field).toBe(field)
        expect(mock.requests).toHaveLength(0)
      })
    })
  }
}

/** Every string form of a value a user or a logger might print. */
export const printed = (value: unknown): string => {
  const parts = [String(value), JSON.stringify(value)]
  if (value instanceof Error) parts.push(value.message, value.stack ?? "")
  return parts.join("\n")
}

/** A span as {@link recordingTracer} keeps it: its name, attributes, and whether it ended. */
export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  ended: boolean
}

/** A tracer that keeps every span it makes, for `Effect.withTracer`. */
export const recordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const recorded: RecordedSpan = { name, attributes: new Map(), ended: false }
      spans.push(recorded)
      return {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace-1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: recorded.attributes,
        links,
        sampled: true,
        kind,
        end: () => void (recorded.ended = true),
        attribute: (key, value) => void recorded.attributes.set(key, value),
        event: () => {},
        addLinks: () => {}
      } satisfies Tracer.Span
    },
    context: (f) => f()
  })
  return { tracer, spans }
}
