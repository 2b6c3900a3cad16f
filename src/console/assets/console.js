// icp-sync console: progressive enhancement only; every page works without this script.
/* global document, window, EventSource */
'use strict';

// Live backfill progress: the list is replaced by the server's rendered (escaped) rows.
(function liveBackfills() {
  const list = document.getElementById('backfills');
  if (!list || typeof EventSource === 'undefined') return;
  const lang = document.documentElement.lang;
  const source = new EventSource(list.dataset.events + '?lang=' + encodeURIComponent(lang));
  source.addEventListener('backfills', function (event) {
    const data = JSON.parse(event.data);
    if (data.html === '') return;
    list.innerHTML = data.html;
    list.dataset.running = String(data.running);
  });
  window.addEventListener('pagehide', function () { source.close(); });
})();
