/**
 * Issue 18, class 2: two refreshers of one grant over a store without a lease (the memory store,
 * and the SQL store on SQLite with its lease taken away), every interleaving of their steps
 * enumerated. Each refresher is its own session (as two processes are); the provider rotates a
 * refresh token once and refuses it afterwards. The steps a scheduler orders: a refresher starts
 * (reads the store), its request reaches the provider (which decides then), its answer arrives,
 * and each compare-and-set it makes (a pair, or a mark). Time moves only when no step can: a
 * refresher waiting for another's write sees it before its grace ends.
 *
 * Asserted for every interleaving: the stored grant ends active and holds the provider's last
 * issued refresh token, and (with the default grace) no caller is told to authorize again while
 * a valid pair exists. With the grace turned off a caller may be told so, but the grant is still
 * never lost. A revoked grant ends marked and both callers are told to authorize again.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { HttpClient } from "@effect/platform"
import { Chunk, Deferred, type Duration, Effect, Exit, Fiber, Layer, Option, Redacted, Scope, TestClock } from "effect"
import { Errors, FitbitConfig, OAuth, Session, TokenStore } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"
import { SqlTokenStore } from "@fitbit-effect/core/sql"

const provider = FitbitConfig.toOAuthProvider(Effect.runSync(FitbitConfig.make({ clientId: "23BCDE", clientSecret: "s3cret-value" })))
const refreshToken = (n: number) => `refresh-token-${n}`
const accessToken = (n: number) => `access-token-${n}`

type Actor = "A" | "B"
type Kind = "start" | "send" | "answer" | "cas" | "mark"
interface Step {
  readonly actor: Actor
  readonly kind: Kind
  readonly release: Deferred.Deferred<void>
}

/** One run's world: the gates, the provider and what each actor ended with. */
const world = () => {
  const waiting: Array<Step> = []
  const gate = (actor: Actor, kind: Kind) =>
    Effect.flatMap(Deferred.make<void>(), (release) => {
      waiting.push({ actor, kind, release })
      return Deferred.await(release)
    })
  const provider = { current: refreshToken(1), issued: [] as Array<string>, revoked: false }
  /** The provider's token endpoint as one refresher sees it: gated when its request lands and when its answer arrives. */
  const refresh = (actor: Actor) => (tokens: OAuth.TokenSet) =>
    Effect.gen(function*() {
      yield* gate(actor, "send")
      const ok = !provider.revoked && Redacted.value(tokens.refreshToken!) === provider.current
      let n = 0
      if (ok) {
        n = provider.issued.length + 2
        provider.current = refreshToken(n)
        provider.issued.push(provider.current)
      }
      yield* gate(actor, "answer")
      if (!ok) {
        return yield* new Errors.InvalidGrant({ status: 400, method: "POST", url: provider.current, errors: [] })
      }
      return new OAuth.TokenSet({
        accessToken: Redacted.make(accessToken(n)),
        refreshToken: Redacted.make(refreshToken(n)),
        tokenType: "Bearer",
        scopes: ["activity"],
        expiresIn: 28800,
        expiresAt: 28_800_000
      })
    })
  /** The shared store as one refresher sees it: its compare-and-sets gated. */
  const storeOf = (actor: Actor, inner: TokenStore.TokenStoreShape): TokenStore.TokenStoreShape => ({
    get: inner.get,
    set: inner.set,
    remove: inner.remove,
    compareAndSet: (key, expected, next) =>
      Effect.zipRight(gate(actor, next.status === "active" ? "cas" : "mark"), inner.compareAndSet(key, expected, next))
  })
  return { waiting, gate, provider, refresh, storeOf }
}

/** Yields until every actor is at a gate, asleep or done, and stays so. */
const settle = (waiting: ReadonlyArray<Step>, done: () => number) =>
  Effect.gen(function*() {
    let stable = 0
    let last = ""
    for (let i = 0; i < 5_000 && stable < 20; i++) {
      yield* Effect.yieldNow()
      const sleeps = (yield* TestClock.sleeps()).pipe(Chunk.size)
      const signature = `${waiting.length}/${sleeps}/${done()}`
      stable = signature === last && waiting.length + sleeps + done() >= 2 ? stable + 1 : 0
      last = signature
    }
    if (stable < 20) throw new Error("the actors never settled")
  })

interface Outcome {
  readonly trace: ReadonlyArray<{ readonly index: number; readonly count: number; readonly step: string }>
  readonly results: Record<Actor, Exit.Exit<string, Session.SessionFailure>>
  readonly stored: TokenStore.StoredGrant
  readonly providerCurrent: string
  readonly issued: number
}

/** Runs one interleaving: at the i-th decision take `script[i]` (0 past its end). */
const runOnce = (
  shared: TokenStore.TokenStoreShape,
  key: string,
  script: ReadonlyArray<number>,
  options: { readonly revoked: boolean; readonly refusalGrace?: Duration.DurationInput }
) =>
  Effect.gen(function*() {
    const w = world()
    w.provider.revoked = options.revoked
    yield* shared.set(`fitbit:${key}`, TokenStore.initialGrant(
      new OAuth.TokenSet({
        accessToken: Redacted.make(accessToken(1)),
        refreshToken: Redacted.make(refreshToken(1)),
        tokenType: "Bearer",
        scopes: ["activity"],
        expiresIn: 28800,
        expiresAt: 0
      }),
      0
    ))
    const scope = yield* Scope.make()
    const http = Layer.succeed(HttpClient.HttpClient, MockHttpClient.make(() => ({ status: 500 })).client)
    const sessionOf = (actor: Actor) =>
      Session.make({
        provider,
        refresh: w.refresh(actor),
        leasePoll: "1 second",
        ...(options.refusalGrace === undefined ? {} : { refusalGrace: options.refusalGrace })
      }).pipe(
        Effect.provide(Layer.merge(http, Layer.succeed(TokenStore.TokenStore, w.storeOf(actor, shared)))),
        Scope.extend(scope)
      )
    const sessions = { A: yield* sessionOf("A"), B: yield* sessionOf("B") }
    const results: Partial<Record<Actor, Exit.Exit<string, Session.SessionFailure>>> = {}
    const fibers = yield* Effect.forEach(["A", "B"] as const, (actor) =>
      Effect.fork(
        w.gate(actor, "start").pipe(
          Effect.zipRight(sessions[actor].accessToken(key)),
          Effect.map(Redacted.value),
          Effect.exit,
          Effect.tap((exit) => Effect.sync(() => (results[actor] = exit)))
        )
      ))
    const done = () => Object.keys(results).length
    const trace: Array<{ index: number; count: number; step: string }> = []
    while (done() < 2) {
      yield* settle(w.waiting, done)
      if (w.waiting.length === 0) {
        yield* TestClock.adjust("1 second")
        continue
      }
      const options = [...w.waiting].sort((a, b) => `${a.actor}${a.kind}`.localeCompare(`${b.actor}${b.kind}`))
      const index = script[trace.length] ?? 0
      const chosen = options[index]!
      trace.push({ index, count: options.length, step: `${chosen.actor}.${chosen.kind}` })
      w.waiting.splice(w.waiting.indexOf(chosen), 1)
      yield* Deferred.succeed(chosen.release, undefined)
    }
    yield* Fiber.joinAll(fibers)
    yield* Scope.close(scope, Exit.void)
    const stored = Option.getOrThrow(yield* shared.get(`fitbit:${key}`))
    return {
      trace,
      results: results as Record<Actor, Exit.Exit<string, Session.SessionFailure>>,
      stored,
      providerCurrent: w.provider.current,
      issued: w.provider.issued.length
    } satisfies Outcome
  })

/** Every interleaving, depth first: the next script bumps the last decision that has an untried option. */
const explore = (
  shared: TokenStore.TokenStoreShape,
  options: { readonly revoked: boolean; readonly refusalGrace?: Duration.DurationInput },
  check: (outcome: Outcome) => void
) =>
  Effect.gen(function*() {
    let script: Array<number> = []
    let runs = 0
    const seen = new Set<string>()
    while (true) {
      const outcome = yield* runOnce(shared, `user-${runs}`, script, options)
      runs++
      const path = outcome.trace.map((t) => t.step).join(" ")
      seen.add(path)
      try {
        check(outcome)
      } catch (error) {
        throw new Error(`interleaving ${path}: ${(error as Error).message}`)
      }
      let i = outcome.trace.length - 1
      while (i >= 0 && outcome.trace[i]!.index + 1 >= outcome.trace[i]!.count) i--
      if (i < 0) break
      script = [...outcome.trace.slice(0, i).map((t) => t.index), outcome.trace[i]!.index + 1]
    }
    return { runs, distinct: seen.size }
  })

const reauthorization = (exit: Exit.Exit<string, Session.SessionFailure>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "ReauthorizationRequired"

/** The invariants of a provider that rotated once. */
const grantKept = (outcome: Outcome) => {
  expect(outcome.issued).toBe(1)
  expect(outcome.stored.status).toBe("active")
  expect(Redacted.value(outcome.stored.tokens.refreshToken!)).toBe(outcome.providerCurrent)
}

const stores: ReadonlyArray<[string, Effect.Effect<TokenStore.TokenStoreShape, unknown, Scope.Scope>]> = [
  ["memory store", TokenStore.makeMemory],
  [
    "SQL store on SQLite, without its lease",
    Effect.gen(function*() {
      const context = yield* Layer.build(SqlTokenStore.layer.pipe(Layer.provide(SqliteClient.layer({ filename: ":memory:" }))))
      const { lease: _lease, ...withoutLease } = yield* Effect.provide(TokenStore.TokenStore, context)
      return withoutLease
    })
  ]
]

describe.each(stores)("two refreshers of one grant, every interleaving: %s", (name, makeStore) => {
  it.scoped("default grace: the grant holds the last issued pair, and nobody is told to authorize again", () =>
    Effect.gen(function*() {
      const store = yield* makeStore
      const { runs, distinct } = yield* explore(store, { revoked: false }, (outcome) => {
        grantKept(outcome)
        for (const actor of ["A", "B"] as const) {
          const exit = outcome.results[actor]
          expect(reauthorization(exit), `${actor} was told to authorize again`).toBe(false)
          expect(Exit.isSuccess(exit) ? exit.value : "failed").toBe(accessToken(2))
        }
      })
      expect(runs).toBe(distinct)
      expect(runs).toBeGreaterThan(20)
      console.log(`${name}, default grace: ${runs} interleavings, grant kept in all, no caller told to authorize again`)
    }))

  it.scoped("no grace: a refused refresher may be told to authorize again, but the grant is never lost", () =>
    Effect.gen(function*() {
      const store = yield* makeStore
      let marksOverwritten = 0
      const { runs } = yield* explore(store, { revoked: false, refusalGrace: "0 millis" }, (outcome) => {
        grantKept(outcome)
        if (outcome.trace.some((t) => t.step === "B.mark") && outcome.trace.findIndex((t) => t.step === "B.mark") < outcome.trace.findIndex((t) => t.step === "A.cas")) {
          marksOverwritten++
        }
      })
      expect(runs).toBeGreaterThan(20)
      // The interesting case was reached: a mark stored before the winner's write, then overwritten.
      expect(marksOverwritten).toBeGreaterThan(0)
      console.log(`${name}, no grace: ${runs} interleavings, grant kept in all (${marksOverwritten} with a mark overwritten)`)
    }))

  it.scoped("a revoked grant: both callers are told to authorize again and the grant is marked, not deleted", () =>
    Effect.gen(function*() {
      const store = yield* makeStore
      const { runs } = yield* explore(store, { revoked: true }, (outcome) => {
        expect(outcome.issued).toBe(0)
        expect(outcome.stored.status).toBe("reauthorization_required")
        expect(Redacted.value(outcome.stored.tokens.refreshToken!)).toBe(refreshToken(1))
        for (const actor of ["A", "B"] as const) expect(reauthorization(outcome.results[actor])).toBe(true)
      })
      expect(runs).toBeGreaterThan(5)
      console.log(`${name}, revoked: ${runs} interleavings, grant marked in all`)
    }))
})
