// The service managers' inbox: one static page and one script (inbox-script.ts), served as they are
// (no build step, no CDN).
export { INBOX_JS } from './inbox-script';

export const INBOX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Follow-up inbox</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
  body { margin: 0; }
  header { background: #203a5c; color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .3rem 1rem; justify-content: space-between; align-items: center; }
  header h1 { font-size: 1.1rem; margin: 0; }
  #who { font-size: .9rem; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  .card { background: #fff; border-radius: 6px; padding: .9rem 1rem; margin-bottom: .8rem; box-shadow: 0 1px 2px #0002; }
  .card h2 { font-size: 1rem; margin: 0 0 .3rem; }
  .meta { color: #555; font-size: .9rem; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
  .value { font-weight: 600; color: #a3261b; }
  ul.reasons { margin: .5rem 0; padding-left: 1.2rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin-top: .4rem; }
  button { font: inherit; padding: .35rem .8rem; border-radius: 4px; border: 1px solid #203a5c; background: #fff; color: #203a5c; cursor: pointer; }
  button.primary { background: #203a5c; color: #fff; }
  button:disabled { opacity: .45; cursor: not-allowed; }
  select, input { font: inherit; padding: .3rem; max-width: 100%; box-sizing: border-box; }
  #token { width: 36rem; }
  #error, .card-error { color: #a3261b; min-height: 1.2rem; }
  .card-error { margin: .3rem 0 0; font-size: .9rem; }
  .card-error:empty { min-height: 0; margin: 0; }
  .timeline { font-size: .85rem; margin-top: .5rem; border-top: 1px solid #ddd; padding-top: .4rem; }
  .timeline li { margin: .15rem 0; }
  .status { text-transform: uppercase; font-size: .75rem; letter-spacing: .04em; }
  .overdue { color: #a3261b; font-weight: 600; }
  @media (max-width: 600px) { main { padding: .5rem; } }
</style>
</head>
<body>
<header><h1>Follow-up inbox</h1><span id="who" aria-live="polite"></span></header>
<main>
  <p id="error" role="alert"></p>
  <form id="signin" class="card" hidden>
    <h2>Sign in</h2>
    <p>Paste the API token you were given (a manager or admin token).</p>
    <input id="token" name="token" type="password" autocomplete="off" aria-label="API token">
    <button class="primary" type="submit">Sign in</button>
  </form>
  <section id="queue" hidden>
    <div class="actions"><button id="refresh" type="button">Refresh</button><button id="signout" type="button">Sign out</button></div>
    <p id="empty" hidden>No open tasks. Well done.</p>
    <div id="tasks"></div>
    <div class="actions"><button id="more" type="button" hidden>Load more</button></div>
  </section>
</main>
<script src="/inbox/app.js"></script>
</body>
</html>
`;
