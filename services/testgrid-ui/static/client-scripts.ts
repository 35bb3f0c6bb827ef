/**
 * The browser's two scripts, kept as text: tsconfig and the linter cover Node code only, and these need
 * the DOM. They run in the page; the browser tests exercise both.
 */

/** Filter forms marked data-autosubmit apply a choice as soon as it is made; text fields apply on Enter. */
export const autosubmitScript = `for (const form of document.querySelectorAll('form[data-autosubmit]')) {
  for (const select of form.querySelectorAll('select')) {
    select.addEventListener('change', () => {
      form.requestSubmit();
    });
  }
}
`;

/** Fetches further pieces of a long build log from /api/log and appends them; text goes in as text, never markup. */
export const buildLogScript = `const log = document.getElementById('log');
const more = document.getElementById('log-more');
const failures = document.getElementById('log-failures');
const progress = document.getElementById('log-progress');

function kib(n) {
  return n < 1024 ? \`\${n} B\` : \`\${(n / 1024).toFixed(1)} KiB\`;
}

function addLine(line) {
  const span = document.createElement('span');
  span.className = line.failure ? 'line failure' : 'line';
  span.id = \`l\${line.number}\`;
  const a = document.createElement('a');
  a.className = 'ln';
  a.href = \`#l\${line.number}\`;
  a.textContent = String(line.number);
  span.append(a, document.createTextNode(\`\${line.text}\\n\`));
  log.append(span);
  if (line.failure) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = \`#l\${line.number}\`;
    link.textContent = \`line \${line.number}\`;
    const code = document.createElement('code');
    code.textContent = line.text;
    li.append(link, ': ', code);
    failures.append(li);
  }
}

async function loadPiece() {
  const url = \`\${log.dataset.src}?start=\${log.dataset.next}&line=\${log.dataset.line}\`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(\`\${url}: HTTP \${res.status}\`);
  const piece = await res.json();
  for (const line of piece.lines) addLine(line);
  log.dataset.next = String(piece.next);
  const last = piece.lines.at(-1);
  if (last !== undefined) log.dataset.line = String(last.number + 1);
  if (progress) progress.textContent = piece.size === undefined || piece.size === null ? kib(piece.next) : \`\${kib(piece.next)} of \${kib(piece.size)}\`;
  if (piece.done) more.remove();
  return piece.done;
}

if (log && more) {
  more.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    for (const b of more.querySelectorAll('button')) b.disabled = true;
    try {
      if (button.dataset.load === 'all') {
        while (!(await loadPiece()));
      } else {
        await loadPiece();
      }
    } catch (err) {
      if (progress) progress.textContent = \`could not load more: \${err.message}\`;
    } finally {
      for (const b of more.querySelectorAll('button')) b.disabled = false;
    }
  });
}
`;
