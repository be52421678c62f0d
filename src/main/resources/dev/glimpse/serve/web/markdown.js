// A small Markdown renderer for model answers. It builds DOM nodes and sets only text content and a few checked
// attributes, never HTML: whatever an answer contains (tags, scripts, event handlers) shows as text. Links keep only
// http(s) and mailto targets. GLM-4V's grounding boxes (<|begin_of_box|>[x1,y1,x2,y2]<|end_of_box|>) become numbered
// tags that match the boxes drawn over the image.

export const BEGIN_OF_BOX = '<|begin_of_box|>';
export const END_OF_BOX = '<|end_of_box|>';

/**
 * Every well-formed box in the text, in order, as {x1, y1, x2, y2} in 0–1000 coordinates. Writes the same boxes
 * as the Java AnswerParser: "[x1,y1,x2,y2]" or "[[…],[…]]" between the markers; a malformed group yields none.
 */
export function parseBoxes(text) {
  const boxes = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf(BEGIN_OF_BOX, from);
    if (open < 0) return boxes;
    const close = text.indexOf(END_OF_BOX, open + BEGIN_OF_BOX.length);
    if (close < 0) return boxes;
    boxes.push(...coordinates(text.slice(open + BEGIN_OF_BOX.length, close)));
    from = close + END_OF_BOX.length;
  }
}

function coordinates(content) {
  const groups = content.match(/\[[^\[\]]*\]/g) || [];
  const out = [];
  for (const g of groups) {
    const parts = g.slice(1, -1).split(',').map(s => s.trim());
    if (parts.length !== 4 || parts.some(p => p === '' || !isFinite(Number(p)))) return [];
    const [x1, y1, x2, y2] = parts.map(Number);
    out.push({x1, y1, x2, y2});
  }
  return out;
}

/**
 * Renders Markdown text into a DocumentFragment.
 *
 * @param state where box numbering starts ({boxNumber: boxes before this text}); it is advanced past this text's
 */
export function renderMarkdown(text, state = {boxNumber: 0}) {
  const fragment = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  renderBlocks(lines, fragment, state);
  return fragment;
}

/**
 * Markdown that grows while an answer streams, drawn into one element. Blocks that cannot change any more (those
 * before a blank line that a new block follows, outside a code fence) are rendered once; each update re-renders
 * only the text after them, so a long answer costs the same per token at its end as at its start. finish() renders
 * the whole text once, exactly as renderMarkdown does.
 */
export class StreamingMarkdown {
  constructor(element) {
    this.element = element;
    this.text = '';
    this.settled = 0;          // length of the text whose blocks are drawn for good
    this.state = {boxNumber: 0}; // box numbering after the settled blocks
    this.tail = [];            // the nodes drawn for the rest, replaced on each update
  }

  /** Shows text, which extends what was shown before (anything else is drawn from scratch). */
  update(text) {
    if (text === this.text) return;
    if (!text.startsWith(this.text.slice(0, this.settled))) this.reset();
    this.text = text;
    const end = settledEnd(text, this.settled);
    if (end > this.settled) {
      this.removeTail();
      this.element.appendChild(renderMarkdown(text.slice(this.settled, end), this.state));
      this.settled = end;
    }
    this.removeTail();
    const tail = renderMarkdown(text.slice(this.settled), {boxNumber: this.state.boxNumber});
    this.tail = [...tail.childNodes];
    this.element.appendChild(tail);
  }

  /** Draws the whole text anew (the answer is complete). */
  finish(text) {
    this.reset();
    this.text = text;
    this.element.appendChild(renderMarkdown(text));
  }

  reset() {
    this.element.replaceChildren();
    this.text = '';
    this.settled = 0;
    this.state = {boxNumber: 0};
    this.tail = [];
  }

  removeTail() {
    for (const node of this.tail) node.remove();
    this.tail = [];
  }
}

/**
 * Where the blocks that can no longer change end: after the last blank line, at or after from, that is outside a
 * code fence and followed by a whole line that begins a new top-level block (not indented, not a list item: a list
 * goes on across blank lines). from itself when there is none.
 */
function settledEnd(text, from) {
  let end = from;
  let inFence = null;
  let lineStart = from;
  let blankBefore = false;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    if (newline < 0) break;  // the last line may still grow: it settles nothing
    const line = text.slice(lineStart, newline);
    const fence = line.match(FENCE);
    if (inFence) {
      if (line.trim().startsWith(inFence)) inFence = null;
    } else if (line.trim() === '') {
      blankBefore = true;
    } else {
      if (blankBefore && !/^\s/.test(line) && !BULLET.test(line) && !ORDERED.test(line)) {
        end = lineStart;
      }
      blankBefore = false;
      if (fence) inFence = fence[1];
    }
    lineStart = newline + 1;
  }
  return end;
}

function el(tag, parent, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function renderBlocks(lines, parent, state) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') { i++; continue; }
    let m;
    if ((m = line.match(FENCE))) {
      const fence = m[1];
      const pre = el('pre', parent);
      const code = el('code', pre);
      if (m[2]) code.dataset.language = m[2];
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i++]);
      i++; // the closing fence (or the end while streaming)
      code.textContent = body.join('\n');
      continue;
    }
    if ((m = line.match(HEADING))) {
      inline(m[2], el('h' + Math.min(6, m[1].length + 2), parent), state);
      i++;
      continue;
    }
    if (RULE.test(line)) { el('hr', parent); i++; continue; }
    if (QUOTE.test(line)) {
      const quoted = [];
      while (i < lines.length && (m = lines[i].match(QUOTE))) { quoted.push(m[1]); i++; }
      renderBlocks(quoted, el('blockquote', parent), state);
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      i = renderList(lines, i, parent, state);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1])
        && lines[i + 1].includes('-')) {
      i = renderTable(lines, i, parent, state);
      continue;
    }
    const paragraph = [];
    while (i < lines.length && lines[i].trim() !== '' && !startsBlock(lines, i)) paragraph.push(lines[i++]);
    if (paragraph.length === 0) paragraph.push(lines[i++]);
    const p = el('p', parent);
    paragraph.forEach((text, k) => {
      if (k > 0) p.appendChild(document.createElement('br'));
      inline(text.trim(), p, state);
    });
  }
}

function startsBlock(lines, i) {
  const line = lines[i];
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || BULLET.test(line)
    || ORDERED.test(line)
    || (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes('-'));
}

function renderList(lines, i, parent, state) {
  const first = lines[i].match(BULLET) || lines[i].match(ORDERED);
  const ordered = !lines[i].match(BULLET);
  const indent = first[1].length;
  const list = el(ordered ? 'ol' : 'ul', parent);
  if (ordered && first[2] !== '1') list.start = Number(first[2]);
  while (i < lines.length) {
    const m = ordered ? lines[i].match(ORDERED) : lines[i].match(BULLET);
    if (!m || m[1].length !== indent) break;
    const item = el('li', list);
    const body = [m[3]];
    i++;
    // continuation lines and nested lists: anything indented deeper than the marker
    while (i < lines.length && lines[i].trim() !== '' && (lines[i].match(/^\s*/)[0].length > indent)
           ) {
      body.push(lines[i].slice(Math.min(lines[i].match(/^\s*/)[0].length, indent + 2)));
      i++;
    }
    if (body.length === 1) inline(body[0], item, state);
    else renderBlocks(body, item, state);
    while (i < lines.length && lines[i].trim() === '' && i + 1 < lines.length
           && (lines[i + 1].match(ordered ? ORDERED : BULLET) || [])[1]?.length === indent) i++;
  }
  return i;
}

function cells(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map(c => c.trim().replace(/\\\|/g, '|'));
}

function renderTable(lines, i, parent, state) {
  const wrapper = el('div', parent, 'table-wrap');
  const table = el('table', wrapper);
  const header = cells(lines[i]);
  const aligns = cells(lines[i + 1]).map(c => c.startsWith(':') && c.endsWith(':') ? 'center'
    : c.endsWith(':') ? 'right' : '');
  const headRow = el('tr', el('thead', table));
  header.forEach((c, k) => {
    const th = el('th', headRow);
    if (aligns[k]) th.style.textAlign = aligns[k];
    inline(c, th, state);
  });
  const body = el('tbody', table);
  i += 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim() !== '') {
    const row = el('tr', body);
    cells(lines[i]).forEach((c, k) => {
      if (k >= header.length) return;
      const td = el('td', row);
      if (aligns[k]) td.style.textAlign = aligns[k];
      inline(c, td, state);
    });
    i++;
  }
  return i;
}

// inline: code spans, boxes, links, bold, italic, strike-through; everything else is text
const INLINE = new RegExp([
  '(`+)([\\s\\S]*?[^`])\\1(?!`)',                      // 1,2 code
  '<\\|begin_of_box\\|>([\\s\\S]*?)<\\|end_of_box\\|>', // 3 box
  '!?\\[([^\\]]*)\\]\\(\\s*([^\\s)]+)(?:\\s+"[^"]*")?\\s*\\)', // 4,5 link (images become links)
  '\\*\\*([\\s\\S]+?)\\*\\*', '__([\\s\\S]+?)__',      // 6,7 strong
  '\\*([^\\s*](?:[\\s\\S]*?[^\\s*])?)\\*',            // 8 em
  '(?<![\\w])_([^\\s_](?:[\\s\\S]*?[^\\s_])?)_(?![\\w])', // 9 em
  '~~([\\s\\S]+?)~~',                                   // 10 del
  '(https?://[^\\s<>()]+[^\\s<>().,;:!?\'"])',          // 11 bare URL
].join('|'));

function inline(text, parent, state) {
  let rest = text;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) { parent.appendChild(document.createTextNode(rest)); return; }
    if (m.index > 0) parent.appendChild(document.createTextNode(rest.slice(0, m.index)));
    if (m[1] !== undefined) {
      el('code', parent).textContent = m[2].replace(/^ (.+) $/, '$1');
    } else if (m[3] !== undefined) {
      const n = coordinates(m[3]).length;
      if (n === 0) {
        parent.appendChild(document.createTextNode(m[3]));
      } else {
        for (let k = 0; k < n; k++) {
          state.boxNumber++;
          const tag = el('span', parent, 'box-ref');
          tag.dataset.box = String(state.boxNumber);
          tag.textContent = String(state.boxNumber);
          tag.title = 'Box ' + state.boxNumber + ' ' + m[3].trim();
          tag.setAttribute('aria-label', 'box ' + state.boxNumber);
        }
      }
    } else if (m[4] !== undefined) {
      link(m[4] || m[5], m[5], parent, state);
    } else if (m[6] !== undefined || m[7] !== undefined) {
      inline(m[6] ?? m[7], el('strong', parent), state);
    } else if (m[8] !== undefined || m[9] !== undefined) {
      inline(m[8] ?? m[9], el('em', parent), state);
    } else if (m[10] !== undefined) {
      inline(m[10], el('del', parent), state);
    } else if (m[11] !== undefined) {
      link(m[11], m[11], parent, state);
    }
    rest = rest.slice(m.index + m[0].length);
  }
}

function link(label, target, parent, state) {
  let url = null;
  try {
    const u = new URL(target, 'https://invalid.invalid/');
    if (['http:', 'https:', 'mailto:'].includes(u.protocol) && u.host !== 'invalid.invalid') url = u.href;
  } catch (e) { /* not a URL: plain text */ }
  if (url === null) {
    parent.appendChild(document.createTextNode(label));
    return;
  }
  const a = el('a', parent);
  a.href = url;
  a.rel = 'noopener noreferrer nofollow';
  a.target = '_blank';
  // a bare URL is its own label: parsed again, it would be a link inside itself, forever
  if (label === target) a.textContent = label;
  else inline(label, a, state);
}
