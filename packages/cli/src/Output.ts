/**
 * How answers are written: pretty JSON on a terminal, JSON (one value) or NDJSON (one item a line)
 * when piped, CSV for arrays of flat-ish rows (nested objects flattened with dotted keys); ANSI
 * styles only on a terminal without `NO_COLOR`.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import type * as Effect from "effect/Effect"

/**
 * The output formats.
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "json" | "ndjson" | "csv" | "pretty"

/**
 * The formats, for the `--format` option.
 *
 * @since 0.1.0
 * @category constants
 */
export const FORMATS: ReadonlyArray<Format> = ["json", "ndjson", "csv", "pretty"]

/**
 * Whether standard output is a terminal.
 *
 * @since 0.1.0
 * @category formatting
 */
export const stdoutIsTerminal = (): boolean => process.stdout.isTTY === true

/**
 * The format when none was given: pretty on a terminal, else NDJSON for a stream of items
 * (`--paginate`) and JSON for one answer.
 *
 * @since 0.1.0
 * @category formatting
 */
export const defaultFormat = (items: boolean): Format => stdoutIsTerminal() ? "pretty" : items ? "ndjson" : "json"

/**
 * Writes to stdout, waiting for the pipe to drain (a large answer into a slow reader).
 *
 * @since 0.1.0
 * @category formatting
 */
export const write = (text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => error === undefined || error === null ? resolve() : reject(error))
  })

/**
 * Flattens a value into one row: nested objects as dotted keys, arrays as JSON.
 *
 * @since 0.1.0
 * @category formatting
 */
export const flatten = (value: unknown, prefix = "", into: Record<string, unknown> = {}): Record<string, unknown> => {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0 && prefix !== "") into[prefix] = ""
    for (const [key, inner] of entries) flatten(inner, prefix === "" ? key : `${prefix}.${key}`, into)
  } else {
    into[prefix === "" ? "value" : prefix] = value
  }
  return into
}

const cell = (value: unknown): string => {
  const text = value === undefined || value === null
    ? ""
    : typeof value === "object"
    ? JSON.stringify(value)
    : String(value)
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

/**
 * Rows as CSV (RFC 4180): a header of every key in the order first seen, then one line a row.
 *
 * @since 0.1.0
 * @category formatting
 */
export const toCsv = (rows: ReadonlyArray<unknown>): string => {
  const flat = rows.map((row) => flatten(row))
  const columns: Array<string> = []
  const seen = new Set<string>()
  for (const row of flat) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key)
        columns.push(key)
      }
    }
  }
  const lines = [columns.map(cell).join(",")]
  for (const row of flat) lines.push(columns.map((column) => cell(row[column])).join(","))
  return `${lines.join("\r\n")}\r\n`
}

/**
 * The array a page carries (`dataPoints`, `rollupDataPoints`, `pairedDevices`, …): its first
 * top-level field holding an array of objects, or `undefined`.
 *
 * @since 0.1.0
 * @category pagination
 */
export const itemsField = (page: unknown): string | undefined => {
  if (typeof page !== "object" || page === null || Array.isArray(page)) return undefined
  // A page's items are objects (`dataPoints`, `dataTypes`, …); an array of strings (a status's
  // `scopes`) is a field of the one row, not rows.
  for (const [key, value] of Object.entries(page as Record<string, unknown>)) {
    if (Array.isArray(value) && value.every((item) => typeof item === "object" && item !== null && !Array.isArray(item))) return key
  }
  return undefined
}

/**
 * The rows of an answer for CSV: the answer when it is an array, else its page's array, else the answer alone.
 *
 * @since 0.1.0
 * @category formatting
 */
export const rowsOf = (body: unknown): ReadonlyArray<unknown> => {
  if (Array.isArray(body)) return body
  const field = itemsField(body)
  return field === undefined ? [body] : (body as Record<string, ReadonlyArray<unknown>>)[field]
}

/**
 * One answer in a format.
 *
 * @since 0.1.0
 * @category formatting
 */
export const render = (body: unknown, format: Format): string => {
  switch (format) {
    case "pretty":
      return `${JSON.stringify(body, null, 2)}\n`
    case "json":
      return `${JSON.stringify(body)}\n`
    case "ndjson":
      return rowsOf(body).map((row) => `${JSON.stringify(row)}\n`).join("")
    case "csv":
      return toCsv(rowsOf(body))
  }
}

/** Whether a stream may carry ANSI styles: a terminal, and `NO_COLOR` unset or empty (no-color.org). */
const styled = (stream: { readonly isTTY?: boolean }): boolean =>
  stream.isTTY === true && (process.env.NO_COLOR === undefined || process.env.NO_COLOR === "")

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g
const plain = (args: ReadonlyArray<unknown>) => args.map((arg) => (typeof arg === "string" ? arg.replace(ANSI, "") : arg))

/**
 * Runs `self` with a console whose `log` (stdout) and `error` (stderr) drop ANSI styles where that
 * stream is no terminal or `NO_COLOR` is set: @effect/cli styles its help and usage errors always.
 *
 * @since 0.1.0
 * @category terminal
 */
export const withPlainConsoleWhereUnstyled = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  const out = styled(process.stdout)
  const err = styled(process.stderr)
  if (out && err) return self
  return Console.consoleWith((console) =>
    Console.withConsole(self, {
      ...console,
      log: (...args: ReadonlyArray<unknown>) => console.log(...(out ? args : plain(args))),
      error: (...args: ReadonlyArray<unknown>) => console.error(...(err ? args : plain(args))),
      unsafe: {
        ...console.unsafe,
        log: (...args: ReadonlyArray<unknown>) => console.unsafe.log(...(out ? args : plain(args))),
        error: (...args: ReadonlyArray<unknown>) => console.unsafe.error(...(err ? args : plain(args)))
      }
    }))
}

