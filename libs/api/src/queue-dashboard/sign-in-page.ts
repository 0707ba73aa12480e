// The operators' sign-in page: one static form, no script. It posts the token once; the server answers
// with an HttpOnly cookie, so the token is never readable by page scripts.

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const SIGN_IN_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The sign-in form, with an optional message (why the last attempt or request was refused). */
export function signInPage(message?: string): string {
  const notice = message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Queue dashboard – sign in</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
  main { max-width: 32rem; margin: 4rem auto; background: #fff; padding: 1.2rem 1.5rem; border-radius: 6px; box-shadow: 0 1px 2px #0002; }
  h1 { font-size: 1.2rem; margin-top: 0; }
  input { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; margin: .4rem 0 .8rem; }
  button { font: inherit; padding: .4rem 1rem; border-radius: 4px; border: 1px solid #203a5c; background: #203a5c; color: #fff; cursor: pointer; }
  .error { color: #a3261b; }
  .hint { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<main>
  <h1>Queue dashboard</h1>
  ${notice}
  <form method="post" action="/admin/sign-in">
    <label for="token">Operator token</label>
    <input id="token" name="token" type="password" autocomplete="off" required>
    <button type="submit">Sign in</button>
  </form>
  <p class="hint">Operator tokens are created with <code>tokens create --role operator</code>. Dealer admin and manager tokens do not open the dashboard.</p>
</main>
</body>
</html>
`;
}
