// Browser code for one task card: facts in words, the actions the signed-in person may take, and that
// card's own error line. Part of INBOX_JS (inbox-script.ts); uses WORDS_JS and the app's api/state.
export const CARD_JS = `
  function taskPath(t, action) { return '/api/v1/tasks/' + encodeURIComponent(t.id) + '/' + action; }
  function outcomeSelect(t) {
    var select = el('select', { 'aria-label': 'Outcome', 'data-role': 'outcome' },
      [el('option', { value: '', selected: '', disabled: '', text: 'Choose an outcome…' })].concat(
        OUTCOMES.map(function (o) { return el('option', { value: o, text: words(o) }); })));
    var d = drafts[t.id];
    if (d && d.outcome) select.value = d.outcome;
    return select;
  }
  function metaLine(t) {
    var overdue = Date.parse(t.dueAt) < Date.now();
    var mark = overdue ? 'Overdue' + (t.escalatedAt ? ', escalated ' + dateTime(t.escalatedAt) : '')
      : t.escalatedAt ? 'Escalated ' + dateTime(t.escalatedAt) : '';
    return el('div', { class: 'meta' }, [
      el('span', { class: 'value', text: 'Value at risk ' + money(t.valueAtRisk, t.currency) }),
      el('span', { class: 'due', text: 'Due ' + dateTime(t.dueAt) }),
      el('span', { text: 'Priority ' + Math.round(t.priority) }),
      el('span', { class: 'status', text: t.status + (t.assignee ? ' by ' + t.assignee : '') }),
      mark ? el('span', { class: 'status overdue', text: mark }) : null,
    ]);
  }
  function taskCard(t) {
    var claimedByOther = !!(me && t.assignee && t.assignee !== me.subject);
    var mayUnclaim = !!(me && t.status === 'claimed' && (t.assignee === me.subject || me.role === 'admin'));
    var outcome = claimedByOther ? null : outcomeSelect(t);
    var note = claimedByOther ? null : el('input', { placeholder: 'note (optional)', 'aria-label': 'Note',
      'data-role': 'note', maxlength: '2000' });
    if (note && drafts[t.id] && drafts[t.id].note) note.value = drafts[t.id].note;
    var claim = t.status === 'open' ? el('button', { type: 'button', 'data-action': 'claim', text: 'Claim' }) : null;
    var unclaim = mayUnclaim ? el('button', { type: 'button', 'data-action': 'unclaim', text: 'Unclaim' }) : null;
    var complete = claimedByOther ? null
      : el('button', { type: 'button', class: 'primary', 'data-action': 'complete', text: 'Complete' });
    var heldBy = claimedByOther ? el('span', { 'data-role': 'held', text: 'Claimed by ' + t.assignee
      + (mayUnclaim ? '' : '; only they can work it') }) : null;
    var tl = el('button', { type: 'button', 'data-action': 'timeline', text: 'Customer timeline' });
    var error = el('p', { class: 'card-error', 'data-role': 'error', role: 'status', 'aria-live': 'assertive',
      text: (drafts[t.id] && drafts[t.id].notice) || '' });
    var timeline = el('div', { class: 'timeline', hidden: '' });
    var card = el('article', { class: 'card task', 'data-task-id': t.id }, [
      el('h2', { text: taskTitle(t) }),
      metaLine(t),
      el('ul', { class: 'reasons' }, t.reasons.map(function (r) {
        return el('li', { text: r.message + ' (' + r.code + ', as of ' + dayUtc(r.detectedAt) + ')' });
      })),
      el('div', { class: 'actions' }, [claim, unclaim, heldBy, outcome, note, complete, tl]),
      error,
      timeline,
    ]);
    function keep() {
      drafts[t.id] = { outcome: outcome.value, note: note.value };
      complete.disabled = !outcome.value;
    }
    function act(path, body, done, resume) {
      var buttons = card.querySelectorAll('button[data-action]');
      buttons.forEach(function (b) { b.disabled = true; });
      error.textContent = '';
      api(path, { method: 'POST', body: body }).then(function () {
        if (done) done();
        showError('');
        load();
      }).catch(function (e) {
        if (e.sessionEnded && resume && drafts[t.id]) drafts[t.id].notice = resume;
        error.textContent = e.message;
        buttons.forEach(function (b) { b.disabled = false; });
        if (complete) complete.disabled = !outcome.value;
      });
    }
    if (outcome) {
      outcome.onchange = keep;
      note.oninput = keep;
      complete.disabled = !outcome.value;
      complete.onclick = function () {
        if (!outcome.value) return;
        var label = outcome.options[outcome.selectedIndex].text;
        if (!window.confirm('Record "' + label + '" for ' + customerWords(t) + '? This closes the task.')) return;
        keep();
        var body = { outcome: outcome.value };
        if (note.value) body.note = note.value;
        act(taskPath(t, 'complete'), body, function () { delete drafts[t.id]; },
          'Not sent: you were signed out first. Your outcome and note are kept; press Complete again.');
      };
    }
    if (claim) claim.onclick = function () { act(taskPath(t, 'claim')); };
    if (unclaim) unclaim.onclick = function () { act(taskPath(t, 'unclaim')); };
    tl.onclick = function () {
      api('/api/v1/customers/' + encodeURIComponent(t.customerId)).then(function (c) {
        timeline.textContent = '';
        timeline.appendChild(el('strong', { text: 'Timeline (latest first)' }));
        timeline.appendChild(el('ul', {}, c.timeline.map(function (e) {
          return el('li', { text: dateTime(e.occurredAt) + ' — ' + eventWords(e)
            + (e.serialNumber ? ' (' + e.serialNumber + ')' : '') });
        })));
        if (!c.timeline.length) timeline.appendChild(el('p', { text: 'No events yet.' }));
        timeline.hidden = false;
      }).catch(function (e) { error.textContent = e.message; });
    };
    return card;
  }
`;
