// What the README's fragments take as given (the `context=` of their marker). The README test's
// harness (harness.mjs) gives each a real value.

/** The request a route handler receives: the query string's parameters. */
export interface Request {
  readonly query: Record<string, string>
}

/** The answer a route handler gives, as Express's `res`. */
export interface Response {
  redirect(url: string): void
  json(body: unknown): void
  send(body: unknown): void
  status(code: number): Response
}

/** An Express-style router (`app.get(path, handler)`): your web framework. */
export interface App {
  get(path: string, handler: (req: Request, res: Response) => unknown): void
}

/** A user's access token, as your app stored it after the user consented. */
export type AccessToken = string
