// icp-sync console: progressive enhancement only; every page works without this script.
/* global document, window, EventSource, fetch, FormData, URLSearchParams, setTimeout, clearTimeout */
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

// Live what-if: a changed weight, threshold or sample re-runs the preview and swaps its section in.
(function livePreview() {
  const form = document.getElementById('model-form');
  if (!form) return;
  let timer;
  let seq = 0;
  const run = function () {
    const mine = ++seq;
    const body = new URLSearchParams(new FormData(form));
    const preview = document.getElementById('preview');
    if (preview) preview.setAttribute('aria-busy', 'true');
    fetch(form.dataset.preview, { method: 'POST', body: body, headers: { 'x-console-fragment': 'preview' } })
      .then(function (res) { return res.text(); })
      .then(function (text) {
        if (mine !== seq) return;
        const current = document.getElementById('preview');
        if (current) current.outerHTML = text;
      })
      .catch(function () {
        const current = document.getElementById('preview');
        if (current) current.removeAttribute('aria-busy');
      });
  };
  form.addEventListener('input', function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute('data-live')) return;
    clearTimeout(timer);
    timer = setTimeout(run, 400);
  });
  form.addEventListener('change', function (event) {
    if (event.target.tagName !== 'SELECT') return;
    // A new matcher kind changes which fields exist: the page is drawn again, back at that criterion.
    if (event.target.hasAttribute('data-submit')) {
      const item = event.target.closest('details[id], fieldset[id]');
      form.action = form.dataset.preview + (item ? '#' + item.id : '');
      form.requestSubmit();
      return;
    }
    clearTimeout(timer);
    run();
  });
})();

// Calibration under way: the status line is read again every two seconds; the page reloads once the run ends.
(function liveCalibration() {
  const box = document.getElementById('calibration-status');
  if (!box || box.dataset.state !== 'running' || typeof fetch === 'undefined') return;
  const lang = document.documentElement.lang;
  const poll = function () {
    fetch(box.dataset.poll + '&lang=' + encodeURIComponent(lang), { headers: { accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(new Error(String(res.status))); })
      .then(function (text) {
        box.innerHTML = text;
        const line = box.querySelector('[data-state]');
        // The page again without its "started" notice, now showing the result.
        if (line && line.getAttribute('data-state') !== 'running') window.location.replace(box.dataset.page || window.location.href);
        else setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  };
  setTimeout(poll, 2000);
})();

// Live mapping preview: an edit of the mappings text re-runs the validation and preview after a pause.
(function liveMappingPreview() {
  const form = document.getElementById('mappings-form');
  if (!form || !form.dataset.preview) return;
  let timer;
  let seq = 0;
  const run = function () {
    const mine = ++seq;
    const section = document.getElementById('mapping-preview');
    if (section) section.setAttribute('aria-busy', 'true');
    fetch(form.dataset.preview, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { 'x-console-fragment': 'preview' } })
      .then(function (res) { return res.text(); })
      .then(function (text) {
        if (mine !== seq) return;
        const current = document.getElementById('mapping-preview');
        if (current) current.outerHTML = text;
      })
      .catch(function () {
        const current = document.getElementById('mapping-preview');
        if (current) current.removeAttribute('aria-busy');
      });
  };
  form.addEventListener('input', function (event) {
    if (event.target.id !== 'mappings-yaml') return;
    clearTimeout(timer);
    timer = setTimeout(run, 800);
  });
})();
