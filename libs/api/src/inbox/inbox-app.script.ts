// Browser code for the session (token, who is signed in) and the queue (pages, reloads). Part of INBOX_JS
// (inbox-script.ts); cards come from CARD_JS.
export const APP_JS = `
  var KEY = 'rp.inbox.token';
  var me = null; // GET /api/v1/me: who the token is (null until known, or if the API cannot say)
  // What was typed on cards (task id -> outcome, note): kept in memory when the token is refused mid-action,
  // so it is still there after signing in again; dropped on "Sign out" or when someone else signs in.
  var drafts = {};
  var draftsOf = null;
  function showError(msg) { $('error').textContent = msg || ''; }
  function hasDrafts() {
    return Object.keys(drafts).some(function (id) { return drafts[id].outcome || drafts[id].note; });
  }
  // 401 (unknown or revoked token) and 403 (an operator token): back to the sign-in form, saying why.
  function sessionEnded(err) {
    sessionStorage.removeItem(KEY);
    me = null;
    $('who').textContent = '';
    $('signin').hidden = false;
    $('queue').hidden = true;
    showError(err.status === 403
      ? 'This token cannot open the inbox: ' + err.message + '. Sign in with a manager or admin token.'
      : 'Signed out: ' + err.message + '. Sign in again'
        + (hasDrafts() ? '; what you typed on the cards is kept.' : '.'));
    window.scrollTo(0, 0);
  }
  function api(path, opts) {
    opts = opts || {};
    var headers = { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) };
    if (opts.body) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: opts.method || 'GET', headers: headers, body: opts.body ? JSON.stringify(opts.body) : undefined })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (data) {
          if (res.ok) return data;
          var err = new Error(data && data.error ? data.error.message + ' (' + data.error.code + ')' : 'HTTP ' + res.status);
          err.status = res.status;
          if (res.status === 401 || res.status === 403) {
            err.sessionEnded = true;
            if (sessionStorage.getItem(KEY)) sessionEnded(err);
          }
          throw err;
        });
      });
  }
  function whoWords(m) {
    return 'Signed in as ' + m.subject + ' · ' + m.role + ' · ' + (m.branchId ? 'branch ' + m.branchId : 'all branches');
  }
  // Who the token is; an API without /me (older server) leaves the page working as before, minus the name.
  function loadMe() {
    return api('/api/v1/me').then(function (m) {
      me = m;
      var owner = m.dealerId + '/' + m.subject;
      if (draftsOf !== null && draftsOf !== owner) drafts = {};
      draftsOf = owner;
      $('who').textContent = whoWords(m);
    }, function (e) {
      if (e.sessionEnded) throw e;
      me = null;
      $('who').textContent = '';
    });
  }
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
    }).catch(function (e) { if (!e.sessionEnded) showError(e.message); });
  }
  function loadMore() {
    if (!nextCursor) return;
    $('more').disabled = true;
    fetchPage(nextCursor).then(function (page) {
      var list = $('tasks');
      page.items.forEach(function (t) { list.appendChild(taskCard(t)); });
      shownPages += 1;
      showMore(page.nextCursor);
    }).catch(function (e) { if (!e.sessionEnded) showError(e.message); }).then(function () { $('more').disabled = false; });
  }
  function render() {
    var signedIn = !!sessionStorage.getItem(KEY);
    $('signin').hidden = signedIn;
    $('queue').hidden = !signedIn;
    if (!signedIn) { $('who').textContent = ''; return; }
    loadMe().then(load, function () { /* sessionEnded has shown the sign-in form and why */ });
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
  $('signout').onclick = function () {
    sessionStorage.removeItem(KEY);
    shownPages = 1;
    me = null;
    drafts = {};
    draftsOf = null;
    $('tasks').textContent = '';
    showError('');
    render();
  };
  $('refresh').onclick = function () { load(); };
  $('more').onclick = loadMore;
  render();
`;
