// The inbox's one script, served as is: words (formatting), cards (actions), app (session and queue).
import { OUTCOMES } from '../http/schemas';
import { APP_JS } from './inbox-app.script';
import { CARD_JS } from './inbox-card.script';
import { WORDS_JS } from './inbox-words.script';

export const INBOX_JS = `'use strict';
(function () {
  var OUTCOMES = ${JSON.stringify(OUTCOMES)};
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') n.textContent = attrs[k]; else n.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
${WORDS_JS}${CARD_JS}${APP_JS}})();
`;
