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

const pairs = (prefix: string, value: FormValue, out: Array<string>): void => {
  if (value === undefined) return
  if (value === null) {
    out.push(encodeComponent(prefix) + "=")
    return
  }
  if (value instanceof Date) {
    out.push(encodeComponent(prefix) + "=" + encodeComponent(value.toISOString()))
    return
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => pairs(`${prefix}[${index}]`, item, out))
    return
  }
  if (typeof value === "object") {
    for (const [key, item] of Object.entries(value)) pairs(`${prefix}[${key}]`, item, out)
    return
  }
  out.push(encodeComponent(prefix) + "=" + encodeComponent(String(value)))
}

/**
 * Encodes an object as an `application/x-www-form-urlencoded` body, the way fitbit-node does.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (data: { readonly [key: string]: FormValue }): string => {
  const out: Array<string> = []
  for (const [key, value] of Object.entries(data)) pairs(key, value, out)
  return out.join("&")
}
