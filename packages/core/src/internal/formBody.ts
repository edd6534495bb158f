/**
 * Form-encoding request bodies exactly as fitbit-node does (through `request`'s `form`,
 * which is `qs.stringify` with its defaults): nested objects bracketed (`a[b]=c`), arrays
 * indexed (`a[0]=x`), brackets percent-encoded, spaces as `%20`, `undefined` skipped,
 * `null` as an empty value, dates as ISO strings. Pure.
 *
 * @since 0.1.0
 */

/**
 * A value a form body may hold.
 *
 * @since 0.1.0
 * @category models
 */
export type FormValue =
  | string
  | number
  | boolean
  | bigint
  | Date
  | null
  | undefined
  | ReadonlyArray<FormValue>
  | { readonly [key: string]: FormValue }

/**
 * Percent-encodes as RFC 3986 (qs's default): everything but `A-Z a-z 0-9 - _ . ~`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeComponent = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())

const pairs = (prefix: string, value: FormValue, out: Array<string>, ancestors: Array<object>): void => {
  if (value === undefined) return
  if (value === null) {
    out.push(encodeComponent(prefix) + "=")
    return
  }
  if (value instanceof Date) {
    out.push(encodeComponent(prefix) + "=" + encodeComponent(value.toISOString()))
    return
  }
  if (typeof value === "object") {
    if (ancestors.includes(value)) throw new TypeError(`the body refers to itself at ${prefix}`)
    ancestors.push(value)
    if (Array.isArray(value)) {
      value.forEach((item, index) => pairs(`${prefix}[${index}]`, item, out, ancestors))
    } else {
      for (const [key, item] of Object.entries(value)) pairs(`${prefix}[${key}]`, item, out, ancestors)
    }
    ancestors.pop()
    return
  }
  out.push(encodeComponent(prefix) + "=" + encodeComponent(String(value)))
}

/**
 * Why a body could not be serialised, in one line and without its values (the messages of
 * `JSON.stringify` and of {@link encode} name properties and kinds only).
 *
 * @since 0.1.0
 * @category encoding
 */
export const serialiseFailure = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]!.slice(0, 200)}` : "it threw a non-Error"

/**
 * Encodes an object as an `application/x-www-form-urlencoded` body, the way fitbit-node does.
 * Throws a `TypeError` naming the key where an object refers to itself (qs would loop).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (data: { readonly [key: string]: FormValue }): string => {
  const out: Array<string> = []
  const ancestors: Array<object> = [data]
  for (const [key, value] of Object.entries(data)) pairs(key, value, out, ancestors)
  return out.join("&")
}
