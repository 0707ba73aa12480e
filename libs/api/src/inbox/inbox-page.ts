// The service managers' inbox: one static page and one script, served as they are (no build step, no CDN).
import { OUTCOMES } from '../http/schemas';

export const INBOX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Follow-up inbox</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
  body { margin: 0; }
  header { background: #203a5c; color: #fff; padding: .75rem 1rem; display: flex; justify-content: space-between; align-items: center; }
  header h1 { font-size: 1.1rem; margin: 0; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  .card { background: #fff; border-radius: 6px; padding: .9rem 1rem; margin-bottom: .8rem; box-shadow: 0 1px 2px #0002; }
  .card h2 { font-size: 1rem; margin: 0 0 .3rem; }
  .meta { color: #555; font-size: .9rem; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
  .value { font-weight: 600; color: #a3261b; }
  ul.reasons { margin: .5rem 0; padding-left: 1.2rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin-top: .4rem; }
  button { font: inherit; padding: .35rem .8rem; border-radius: 4px; border: 1px solid #203a5c; background: #fff; color: #203a5c; cursor: pointer; }
  button.primary { background: #203a5c; color: #fff; }
  select, input { font: inherit; padding: .3rem; }
  #error { color: #a3261b; min-height: 1.2rem; }
  .timeline { font-size: .85rem; margin-top: .5rem; border-top: 1px solid #ddd; padding-top: .4rem; }
  .timeline li { margin: .15rem 0; }
  .status { text-transform: uppercase; font-size: .75rem; letter-spacing: .04em; }
  .escalated { color: #a3261b; font-weight: 600; }
  @media (max-width: 600px) { main { padding: .5rem; } }
</style>
</head>
<body>
<header><h1>Follow-up inbox</h1><span id="who"></span></header>
<main>
  <p id="error" role="alert"></p>
  <form id="signin" class="card" hidden>
    <h2>Sign in</h2>
    <p>Paste the API token you were given.</p>
    <input id="token" name="token" type="password" autocomplete="off" size="60" aria-label="API token">
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

export const INBOX_JS = `'use strict';
(function () {
  var OUTCOMES = ${JSON.stringify(OUTCOMES)};
  var KEY = 'rp.inbox.token';
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') n.textContent = attrs[k]; else n.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
  function showError(msg) { $('error').textContent = msg || ''; }
  function api(path, opts) {
    opts = opts || {};
    var headers = { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) };
    if (opts.body) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: opts.method || 'GET', headers: headers, body: opts.body ? JSON.stringify(opts.body) : undefined })
      .then(function (res) {
        return res.json().then(function (data) {
          if (res.status === 401) { sessionStorage.removeItem(KEY); render(); }
          if (!res.ok) throw new Error(data && data.error ? data.error.message + ' (' + data.error.code + ')' : 'HTTP ' + res.status);
          return data;
        });
      });
  }
  var money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  function day(iso) { return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }); }

  function taskCard(t) {
    var outcome = el('select', { 'aria-label': 'Outcome', 'data-role': 'outcome' },
      OUTCOMES.map(function (o) { return el('option', { value: o, text: o.replace(/-/g, ' ') }); }));
    var note = el('input', { placeholder: 'note (optional)', 'aria-label': 'Note', 'data-role': 'note', maxlength: '2000' });
    var claim = t.status === 'open' ? el('button', { type: 'button', 'data-action': 'claim', text: 'Claim' }) : null;
    var complete = el('button', { type: 'button', class: 'primary', 'data-action': 'complete', text: 'Complete' });
    var tl = el('button', { type: 'button', 'data-action': 'timeline', text: 'Customer timeline' });
    var timeline = el('div', { class: 'timeline', hidden: '' });
    var card = el('article', { class: 'card task', 'data-task-id': t.id }, [
      el('h2', { text: 'Customer ' + t.customerId + (t.serialNumber ? ' — machine ' + t.serialNumber : ' — all machines') }),
      el('div', { class: 'meta' }, [
        el('span', { class: 'value', text: 'Value at risk ' + money.format(t.valueAtRisk) }),
        el('span', { text: 'Due ' + day(t.dueAt) }),
        el('span', { text: 'Priority ' + Math.round(t.priority) }),
        el('span', { class: 'status', text: t.status + (t.assignee ? ' by ' + t.assignee : '') }),
        t.escalatedAt ? el('span', { class: 'status escalated', text: 'Overdue: escalated ' + day(t.escalatedAt) }) : null,
      ]),
      el('ul', { class: 'reasons' }, t.reasons.map(function (r) {
        return el('li', { text: r.message + ' (' + r.code + ', as of ' + day(r.detectedAt) + ')' });
      })),
      el('div', { class: 'actions' }, [claim, outcome, note, complete, tl]),
      timeline,
    ]);
    if (claim) claim.onclick = function () { act(api('/api/v1/tasks/' + encodeURIComponent(t.id) + '/claim', { method: 'POST' })); };
    complete.onclick = function () {
      var body = { outcome: outcome.value };
      if (note.value) body.note = note.value;
      act(api('/api/v1/tasks/' + encodeURIComponent(t.id) + '/complete', { method: 'POST', body: body }));
    };
    tl.onclick = function () {
      api('/api/v1/customers/' + encodeURIComponent(t.customerId)).then(function (c) {
        timeline.textContent = '';
        timeline.appendChild(el('strong', { text: 'Timeline (latest first)' }));
        timeline.appendChild(el('ul', {}, c.timeline.map(function (e) {
          return el('li', { text: day(e.occurredAt) + ' — ' + e.type + (e.serialNumber ? ' — ' + e.serialNumber : '') });
        })));
        if (!c.timeline.length) timeline.appendChild(el('p', { text: 'No events yet.' }));
        timeline.hidden = false;
      }).catch(function (e) { showError(e.message); });
    };
    return card;
  }
  function act(p) { p.then(function () { showError(''); load(); }).catch(function (e) { showError(e.message); }); }
  // The queue in pages of PAGE, following nextCursor; a reload fetches as many pages as were shown.
  var PAGE = 100;
  var shownPages = 1;
  var nextCursor = null;
  function fetchPage(cursor) {
    return api('/api/v1/tasks?status=active&limit=' + PAGE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
  }
  function showMore(cursor) {
    nextCursor = cursor;
    $('more').hidden = !cursor;
  }
  function load() {
    var want = shownPages;
    var items = [];
    function next(cursor, pages) {
      return fetchPage(cursor).then(function (page) {
        items = items.concat(page.items);
        if (page.nextCursor && pages < want) return next(page.nextCursor, pages + 1);
        shownPages = pages;
        return page.nextCursor;
      });
    }
    return next(null, 1).then(function (cursor) {
      var list = $('tasks');
      list.textContent = '';
      items.forEach(function (t) { list.appendChild(taskCard(t)); });
      $('empty').hidden = items.length > 0;
      showMore(cursor);
    }).catch(function (e) { showError(e.message); });
  }
  function loadMore() {
    if (!nextCursor) return;
    $('more').disabled = true;
    fetchPage(nextCursor).then(function (page) {
      var list = $('tasks');
      page.items.forEach(function (t) { list.appendChild(taskCard(t)); });
      shownPages += 1;
      showMore(page.nextCursor);
    }).catch(function (e) { showError(e.message); }).then(function () { $('more').disabled = false; });
  }
  function render() {
    var signedIn = !!sessionStorage.getItem(KEY);
    $('signin').hidden = signedIn;
    $('queue').hidden = !signedIn;
    if (signedIn) load();
  }
  $('signin').onsubmit = function (ev) {
    ev.preventDefault();
    var token = $('token').value.trim();
    if (!token) return showError('Paste your token first.');
    sessionStorage.setItem(KEY, token);
    $('token').value = '';
    showError('');
    render();
  };
  $('signout').onclick = function () { sessionStorage.removeItem(KEY); shownPages = 1; render(); };
  $('refresh').onclick = function () { load(); };
  $('more').onclick = loadMore;
  render();
})();
`;
