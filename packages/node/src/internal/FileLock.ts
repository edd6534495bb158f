/**
 * An exclusive lock across processes on one file: a lock file beside it (`<file>.lock`), created
 * with `O_CREAT | O_EXCL` so exactly one process holds it, naming its holder (pid and host).
 * A lock whose holder died is taken over: on the same host when its pid no longer runs, anywhere
 * when it is older than the stale age (a holder keeps it for one read-modify-write, milliseconds).
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/**
 * How a lock is waited for.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long to wait for another holder before failing (default 10 seconds). */
  readonly wait?: Duration.DurationInput | undefined
  /** A lock older than this is taken over whoever holds it (default 30 seconds). */
  readonly staleAfter?: Duration.DurationInput | undefined
}

/** Why a lock could not be taken (never a secret: paths and pids only). */
export class LockTimeout extends Error {
  override readonly name = "LockTimeout"
}

const HOST = Os.hostname()

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Whether the lock at `lockPath` was left by a holder that is gone, or is no lock at all: a link
 * (dangling or not) or anything but a regular file at that path was not made by `tryAcquire`, and
 * would otherwise block every write for ever.
 */
const isStale = async (lockPath: string, staleMillis: number): Promise<boolean> => {
  let text: string
  let age: number
  try {
    const info = await Fs.lstat(lockPath)
    if (!info.isFile()) return true
    text = await Fs.readFile(lockPath, "utf8")
    age = Date.now() - info.mtimeMs
  } catch (error) {
    // Released between our attempt and this look: not stale, just free.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false
    throw error
  }
  if (age > staleMillis) return true
  const [pidText, host] = text.split("\n")
  const pid = Number(pidText)
  return host === HOST && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)
}

const tryAcquire = async (lockPath: string, staleMillis: number): Promise<boolean> => {
  try {
    const handle = await Fs.open(lockPath, "wx", 0o600)
    try {
      await handle.writeFile(`${process.pid}\n${HOST}\n${new Date().toISOString()}\n`, "utf8")
    } finally {
      await handle.close()
    }
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
  }
  if (await isStale(lockPath, staleMillis)) {
    // Move the stale lock aside atomically, so two takers cannot both delete a fresh one.
    const aside = `${lockPath}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`
    try {
      await Fs.rename(lockPath, aside)
      await Fs.rm(aside, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error
    }
  }
  return false
}

/**
 * Runs `use` holding the lock of `file`, released afterwards whatever happens (failure and
 * interruption included). Waits with a growing pause (2 ms to 50 ms) while another process holds
 * it; fails with {@link LockTimeout} (naming the holder) after `wait`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withLock = <A, E, R>(
  file: string,
  use: Effect.Effect<A, E, R>,
  options: Options = {}
): Effect.Effect<A, E | LockTimeout | unknown, R> => {
  const lockPath = `${file}.lock`
  const waitMillis = Duration.toMillis(Duration.decode(options.wait ?? Duration.seconds(10)))
  const staleMillis = Duration.toMillis(Duration.decode(options.staleAfter ?? Duration.seconds(30)))
  const acquire = Effect.gen(function*() {
    const deadline = Date.now() + waitMillis
    let pause = 2
    while (!(yield* Effect.tryPromise({ try: () => tryAcquire(lockPath, staleMillis), catch: (cause) => cause }))) {
      if (Date.now() > deadline) {
        const holder = yield* Effect.promise(() => Fs.readFile(lockPath, "utf8").then((t) => t.split("\n").slice(0, 2).join(" on "), () => "unknown"))
        return yield* Effect.fail(new LockTimeout(`${lockPath} is held by process ${holder}; waited ${waitMillis} ms`))
      }
      // Real time, not the Effect clock: the other holder is another process.
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, pause)))
      pause = Math.min(pause * 2, 50)
    }
  })
  return Effect.acquireUseRelease(acquire, () => use, () => Effect.promise(() => Fs.rm(lockPath, { force: true })))
}
