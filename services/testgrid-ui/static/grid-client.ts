/**
 * The grid page's script, kept as text like client-scripts.ts. It reads the tab's grid from the JSON in
 * the page and draws only the cells in view (plus a margin), again on scroll, so a 500 × 1,000 grid costs
 * a few thousand elements, not half a million. Row names stay on the left and headers on top (CSS sticky).
 * Data goes into the page through textContent and setAttribute only. `data-ready="1"` on #grid marks the
 * first drawing; `data-window` says which rows and columns are drawn.
 */
export const gridClientScript = String.raw`(function () {
  'use strict';
  for (const box of document.querySelectorAll('form[data-autosubmit] input[type=checkbox]')) {
    box.addEventListener('change', function () { box.form.requestSubmit(); });
  }
  const root = document.getElementById('grid');
  const source = document.getElementById('grid-data');
  if (!root || !source) return;
  const data = JSON.parse(source.textContent);
  const columns = data.grid.columns;
  const rows = data.grid.rows;
  const links = data.links;
  const files = data.grid.files;
  const CW = 22, CH = 20, NW = 340, ROWS = 8, COLS = 16;
  const names = ['NO_RESULT', 'PASS', 'PASS_WITH_ERRORS', 'PASS_WITH_SKIPS', 'RUNNING', 'CATEGORIZED_ABORT', 'UNKNOWN', 'CANCEL', 'BLOCKED', 'TIMED_OUT', 'CATEGORIZED_FAIL', 'BUILD_FAIL', 'FAIL', 'FLAKY', 'TOOL_FAIL', 'BUILD_PASSED'];

  function el(tag, cls) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    return e;
  }
  function iso(ms) { return ms > 0 ? new Date(ms).toISOString() : ''; }
  function longest(values) { let n = 0; for (const v of values) n = Math.max(n, String(v).length); return n; }
  function vertical(values, cap) { return Math.min(cap, 10 + 7 * longest(values)); }

  const bands = [
    { label: 'date', height: 18, text: function (c) { return iso(columns[c].started).slice(5, 10); }, sparse: true },
    { label: 'time', height: 44, text: function (c) { return iso(columns[c].started).slice(11, 16); }, vertical: true },
    { label: 'build', height: vertical(columns.map(function (c) { return c.build; }), 150), text: function (c) { return columns[c].build; }, vertical: true, link: true },
  ];
  data.header_names.forEach(function (name, i) {
    const value = function (c) { const x = columns[c].extra; return x && x[i] !== undefined ? x[i] : ''; };
    bands.push({ label: name, height: vertical(columns.map(function (_, c) { return value(c); }), 90), text: value, vertical: true });
  });
  let HH = 0;
  for (const b of bands) { b.top = HH; HH += b.height; }

  const sizer = el('div', 'tg-sizer');
  sizer.style.width = (NW + columns.length * CW) + 'px';
  sizer.style.height = (HH + rows.length * CH) + 'px';
  const head = el('div', 'tg-head');
  head.style.height = HH + 'px';
  const corner = el('div', 'tg-corner');
  corner.style.width = NW + 'px';
  corner.style.height = HH + 'px';
  for (const b of bands) {
    const label = el('div', 'tg-band-label');
    label.style.height = b.height + 'px';
    label.textContent = b.label;
    corner.append(label);
  }
  const headCells = el('div', 'tg-head-cells');
  headCells.style.left = NW + 'px';
  head.append(corner, headCells);
  const nameColumn = el('div', 'tg-names');
  nameColumn.style.width = NW + 'px';
  nameColumn.style.height = (rows.length * CH) + 'px';
  const body = el('div', 'tg-body');
  body.style.top = HH + 'px';
  body.style.left = NW + 'px';
  sizer.append(head, nameColumn, body);
  root.replaceChildren(sizer);

  const decoded = new Array(rows.length);
  function row(r) {
    let d = decoded[r];
    if (d) return d;
    const statuses = new Uint8Array(columns.length);
    const results = rows[r].results;
    let at = 0;
    for (let i = 0; i + 1 < results.length; i += 2) {
      statuses.fill(results[i], at, at + results[i + 1]);
      at += results[i + 1];
    }
    const notes = new Map();
    for (const n of rows[r].notes) notes.set(n[0], n);
    d = { statuses: statuses, notes: notes };
    decoded[r] = d;
    return d;
  }

  let drawn = '';
  function draw() {
    const top = root.scrollTop, left = root.scrollLeft;
    const height = Math.max(CH, root.clientHeight - HH), width = Math.max(CW, root.clientWidth - NW);
    const r0 = Math.max(0, (Math.floor(top / CH / ROWS) - 1) * ROWS);
    const r1 = Math.min(rows.length, (Math.ceil((top + height) / CH / ROWS) + 1) * ROWS);
    const c0 = Math.max(0, (Math.floor(left / CW / COLS) - 1) * COLS);
    const c1 = Math.min(columns.length, (Math.ceil((left + width) / CW / COLS) + 1) * COLS);
    const key = r0 + '-' + r1 + ':' + c0 + '-' + c1;
    if (key === drawn) return;
    drawn = key;

    const nameFrag = document.createDocumentFragment();
    for (let r = r0; r < r1; r++) {
      const a = el('a', 'tg-name');
      a.style.top = (r * CH) + 'px';
      a.setAttribute('href', data.history_link + encodeURIComponent(rows[r].name));
      a.setAttribute('title', rows[r].name);
      a.textContent = rows[r].name;
      nameFrag.append(a);
    }
    nameColumn.replaceChildren(nameFrag);

    const headFrag = document.createDocumentFragment();
    for (const b of bands) {
      for (let c = c0; c < c1; c++) {
        const text = b.text(c);
        if (b.sparse && c > c0 && b.text(c - 1) === text) continue;
        const cell = el(b.link ? 'a' : 'div', 'tg-hc' + (b.vertical ? ' tg-vertical' : ''));
        cell.style.left = (c * CW) + 'px';
        cell.style.top = b.top + 'px';
        cell.style.height = b.height + 'px';
        if (b.link) cell.setAttribute('href', links[c]);
        cell.setAttribute('title', b.label + ': ' + text);
        cell.textContent = text;
        headFrag.append(cell);
      }
    }
    headCells.replaceChildren(headFrag);

    const bodyFrag = document.createDocumentFragment();
    for (let r = r0; r < r1; r++) {
      const line = el('div', 'tg-row');
      line.style.top = (r * CH) + 'px';
      line.style.left = (c0 * CW) + 'px';
      const d = row(r);
      for (let c = c0; c < c1; c++) {
        const s = d.statuses[c];
        const cell = el(s === 0 ? 'span' : 'a', 'c s' + s);
        if (s !== 0) {
          cell.setAttribute('href', links[c]);
          cell.dataset.r = r;
          cell.dataset.c = c;
          const note = d.notes.get(c);
          if (note && note[1]) cell.textContent = note[1];
        }
        line.append(cell);
      }
      bodyFrag.append(line);
    }
    body.replaceChildren(bodyFrag);
    root.dataset.window = key;
  }

  const tip = document.getElementById('grid-tip');
  function line(text, cls) { const d = el('div', cls); d.textContent = text; return d; }
  function showTip(cell, x, y) {
    const r = Number(cell.dataset.r), c = Number(cell.dataset.c);
    const d = row(r), note = d.notes.get(c), column = columns[c];
    const parts = [line(rows[r].name, 'tg-tip-name'), line('build ' + column.build + ' · ' + iso(column.started).slice(0, 16).replace('T', ' ') + (column.commit ? ' · ' + column.commit : ''), 'tg-tip-build'), line(names[d.statuses[c]] + (note && note[1] ? ' (' + note[1] + ')' : ''), 'tg-tip-status')];
    if (note && note[2]) parts.push(line(note[2], 'tg-tip-message'));
    if (note && note[3] >= 0 && files[note[3]] !== undefined) parts.push(line(files[note[3]], 'tg-tip-file'));
    tip.replaceChildren.apply(tip, parts);
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + 'px';
    tip.style.top = (y + 14 + h > window.innerHeight ? y - h - 8 : y + 14) + 'px';
  }
  if (tip) {
    root.addEventListener('mouseover', function (event) {
      const cell = event.target.closest('a.c');
      if (cell) showTip(cell, event.clientX, event.clientY);
      else tip.hidden = true;
    });
    root.addEventListener('mouseleave', function () { tip.hidden = true; });
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }
  root.addEventListener('scroll', function () { if (tip) tip.hidden = true; schedule(); }, { passive: true });
  window.addEventListener('resize', schedule);
  draw();
  root.dataset.ready = '1';
})();
`;
