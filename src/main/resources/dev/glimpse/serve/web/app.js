// The Glimpse web page: images and a question in, a streamed answer out, through this server's own
// OpenAI-compatible API (POST /v1/chat/completions with "stream": true). No framework: the page is small and must
// load fast and work offline.

import {parseBoxes, StreamingMarkdown} from './markdown.js';

const $ = id => document.getElementById(id);
const KEY_STORAGE = 'glimpse.apiKey';
// what the server's image reader (javax.imageio) decodes as sent; anything else the browser can show is re-encoded
const SENT_AS_IS = ['image/png', 'image/jpeg', 'image/gif', 'image/bmp'];
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const MAX_IMAGE_SIDE = 4096;

const state = {
  model: null,            // the served model id, from GET /v1/models
  apiKey: sessionStorage.getItem(KEY_STORAGE) || '',
  attachments: [],        // {name, dataUrl, url, width, height}
  turns: [],              // {role:'user', text, images:[…]} | {role:'assistant', text, reasoning, stats, view}
  running: null,          // {controller, turn} while an answer streams
};

// ------------------------------------------------------------------ API

function headers() {
  const h = {'Content-Type': 'application/json'};
  if (state.apiKey) h.Authorization = 'Bearer ' + state.apiKey;
  return h;
}

/** The error a failed response carries, as a sentence a person can act on. */
async function describeFailure(response) {
  let message = '';
  let code = null;
  try {
    const body = await response.json();
    message = body?.error?.message || '';
    code = body?.error?.code || null;
  } catch (e) { /* not JSON */ }
  switch (response.status) {
    case 401:
      showKeyForm(true);
      return state.apiKey ? 'The API key was not accepted. Enter the key the server was started with.'
        : 'This server needs an API key. Enter it above and ask again.';
    case 413:
      return 'The images are too large to send together. Remove some, or use smaller ones.';
    case 503:
      return message || 'The model is still loading. Wait a moment and ask again.';
    default:
      if (code === 'invalid_image_url') return 'An image could not be read: ' + message;
      return message || ('The server answered ' + response.status + ' ' + response.statusText + '.');
  }
}

function unreachable() {
  return 'Cannot reach the Glimpse server at ' + location.host + '. Is it still running? Start it again with '
    + '“./glimpse web” (or webPage() in a notebook), then ask again: your conversation is still here.';
}

async function connect() {
  let response;
  try {
    response = await fetch('v1/models', {headers: headers()});
  } catch (e) {
    setStatus('Server not reachable', 'down');
    showError(unreachable());
    return;
  }
  if (!response.ok) {
    setStatus(response.status === 401 ? 'API key needed' : 'Server error', 'down');
    showError(await describeFailure(response));
    return;
  }
  const list = await response.json();
  state.model = list?.data?.[0]?.id || null;
  showKeyForm(false);
  hideError();
  setStatus(state.model ? 'Model: ' + state.model : 'No model', state.model ? 'up' : 'down');
}

function setStatus(text, kind) {
  const s = $('model-status');
  s.textContent = text;
  s.dataset.state = kind;
}

function showKeyForm(visible) {
  $('key-form').hidden = !visible;
  if (visible) $('api-key').value = state.apiKey;
}

function showError(text) {
  $('error-text').textContent = text;
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

// ------------------------------------------------------------------ images

// Reading an image is asynchronous; a paste right after a drop could otherwise land first. Each call waits for the
// previous one so thumbnails (and the images sent) keep the order in which the person added them.
let addingFiles = Promise.resolve();

function addFiles(files) {
  addingFiles = addingFiles.then(() => addFilesInOrder(files)).catch(e => showError(e.message));
  return addingFiles;
}

async function addFilesInOrder(files) {
  for (const file of files) {
    try {
      state.attachments.push(await readImage(file));
    } catch (e) {
      showError(e.message);
    }
  }
  renderAttachments();
}

async function readImage(file) {
  const name = file.name || 'pasted image';
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error('“' + name + '” is not an image (' + file.type + '). Add a PNG, JPEG, GIF, BMP or WebP file.');
  }
  if (file.size > MAX_IMAGE_BYTES) {
    throw new Error('“' + name + '” is ' + (file.size / 1048576).toFixed(1) + ' MB; images up to '
      + MAX_IMAGE_BYTES / 1048576 + ' MB can be sent. Use a smaller copy.');
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    throw new Error('“' + name + '” could not be read as an image. Add a PNG, JPEG, GIF, BMP or WebP file.');
  }
  const {width, height} = bitmap;
  let dataUrl;
  if (SENT_AS_IS.includes(file.type) && Math.max(width, height) <= MAX_IMAGE_SIDE) {
    dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(new Error('“' + name + '” could not be read.'));
      reader.readAsDataURL(file);
    });
  } else {
    // WebP, AVIF, HEIC…, or huge: re-encode as PNG no larger than the model uses anyway
    const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    dataUrl = canvas.toDataURL('image/png');
  }
  bitmap.close();
  return {name, dataUrl, width, height};
}

function renderAttachments() {
  const list = $('attachments');
  list.replaceChildren();
  state.attachments.forEach((image, index) => {
    const item = document.createElement('li');
    const img = document.createElement('img');
    img.src = image.dataUrl;
    img.alt = 'Image to send: ' + image.name;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = '×';
    remove.setAttribute('aria-label', 'Remove ' + image.name);
    remove.addEventListener('click', () => {
      state.attachments.splice(index, 1);
      renderAttachments();
      $('question').focus();
    });
    item.append(img, remove);
    list.appendChild(item);
  });
}

// ------------------------------------------------------------------ conversation

function messagesForRequest() {
  const messages = [];
  const system = $('system-prompt').value.trim();
  if (system) messages.push({role: 'system', content: system});
  for (const turn of state.turns) {
    if (turn.role === 'user') {
      const content = turn.images.map(i => ({type: 'image_url', image_url: {url: i.dataUrl}}));
      content.push({type: 'text', text: turn.text});
      messages.push({role: 'user', content});
    } else if (turn.text) {
      messages.push({role: 'assistant', content: turn.text});
    }
  }
  return messages;
}

function settings() {
  const maxTokens = Number($('max-tokens').value);
  return {
    thinking: $('thinking').checked,
    temperature: Number($('temperature').value),
    top_p: Number($('top-p').value),
    max_tokens: Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : 1024,
    system: $('system-prompt').value.trim(),
  };
}

async function ask() {
  const text = $('question').value.trim();
  if (state.running) return;
  if (!text) {
    showError('Type a question first.');
    $('question').focus();
    return;
  }
  const started = performance.now();
  const images = state.attachments;
  const user = {role: 'user', text, images};
  state.turns.push(user);
  const s = settings();
  const body = {
    model: state.model || 'default',
    messages: messagesForRequest(),
    stream: true,
    stream_options: {include_usage: true},
    temperature: s.temperature,
    top_p: s.top_p,
    max_tokens: s.max_tokens,
    chat_template_kwargs: {enable_thinking: s.thinking},
  };
  // the request leaves first; the page is redrawn while the server works
  const controller = new AbortController();
  const pending = fetch('v1/chat/completions', {
    method: 'POST', headers: headers(), body: JSON.stringify(body), signal: controller.signal,
  });
  pending.catch(() => {});  // handled below, once the turns are drawn
  const turn = {role: 'assistant', text: '', reasoning: '', updates: 0, images: imagesForBoxes(),
    model: state.model, stats: {started, firstToken: null, finished: null, usage: null, finishReason: null}};
  state.running = {controller, turn};
  hideError();
  state.attachments = [];
  renderAttachments();
  $('question').value = '';
  $('question').style.height = '';  // back to one line, without measuring the text as autosize() would
  renderTurn(user, false);
  state.turns.push(turn);
  setRunning(true);
  renderTurn(turn);
  try {
    const response = await pending;
    if (!response.ok) {
      fail(user, turn, await describeFailure(response));
      return;
    }
    await readStream(response, turn);
    if (!turn.stats.finishReason && !controller.signal.aborted) {
      turn.stats.finishReason = 'incomplete';
      showError('The answer stopped before the server finished it (the connection was lost). '
        + 'What arrived is kept; ask again to retry.');
    }
  } catch (e) {
    if (e instanceof RequestFailed) {
      fail(user, turn, e.message);
      return;
    }
    if (controller.signal.aborted) {
      turn.stats.finishReason = 'stopped';
    } else if (turn.text || turn.reasoning) {
      turn.stats.finishReason = 'incomplete';
      showError('The connection to the server was lost mid-answer. What arrived is kept. ' + unreachable());
    } else {
      fail(user, turn, e.name === 'TypeError' ? unreachable() : e.message);
      return;
    }
  } finally {
    // as the server's whole answers are: GLM writes a new line after </think>
    turn.text = turn.text.trim();
    turn.reasoning = turn.reasoning.trim();
    turn.stats.finished = performance.now();
    state.running = null;
    setRunning(false);
  }
  updateTurn(turn);
  $('question').focus();
}

/** A request that produced nothing: its question and images go back into the composer, nothing else is lost. */
function fail(user, turn, message) {
  state.turns.splice(state.turns.indexOf(user), 2);
  user.view?.remove();
  turn.view?.remove();
  if (!$('question').value) $('question').value = user.text;
  state.attachments = user.images.concat(state.attachments);
  renderAttachments();
  showError(message);
  showGallery();
}

/** A failure the server reported in the stream before any of the answer. */
class RequestFailed extends Error {}

// While an answer streams, the page is redrawn at most this often (after its first reasoning and first answer
// text, which show at once): reading needs no more, and every redraw takes CPU from a model on the same machine.
const REDRAW_MS = 50;

async function readStream(response, turn) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let timer = null;
  let shown = '';
  let drawn = 0;
  const draw = () => {
    timer = null;
    drawn = performance.now();
    updateTurn(turn);
  };
  const schedule = () => {
    const now = (turn.reasoning ? 'r' : '') + (turn.text ? 't' : '');
    if (now !== shown) {
      shown = now;
      if (timer !== null) clearTimeout(timer);
      draw();
      return;
    }
    if (timer === null) timer = setTimeout(draw, Math.max(0, drawn + REDRAW_MS - performance.now()));
  };
  try {
    await readEvents(reader, turn, schedule);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

async function readEvents(reader, turn, schedule) {
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data:')) continue;   // comments (keep-alives) and other fields
        const data = line.slice(5).trim();
        if (data === '[DONE]') {  // the end of the answer: no need to wait for the connection's end
          reader.cancel().catch(() => {});
          return;
        }
        let chunk;
        try { chunk = JSON.parse(data); } catch (e) { continue; }
        if (chunk.error) {
          // nothing arrived yet (e.g. the model is not loaded): the request failed as a whole
          if (!turn.text && !turn.reasoning) throw new RequestFailed(chunk.error.message || 'The server failed.');
          turn.stats.finishReason = 'error';
          showError('The server failed while answering: ' + (chunk.error.message || 'no reason given')
            + ' What arrived is kept.');
          continue;
        }
        if (chunk.usage) turn.stats.usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const delta = choice.delta || {};
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (reasoning) turn.reasoning += reasoning;
        if (delta.content) turn.text += delta.content;
        if ((reasoning || delta.content) && turn.stats.firstToken === null) {
          turn.stats.firstToken = performance.now();
        }
        if (choice.finish_reason) turn.stats.finishReason = choice.finish_reason;
        schedule();
      }
    }
  }
}

/** The images of the latest user turn that has any: where the answer's boxes are drawn. */
function imagesForBoxes() {
  for (let k = state.turns.length - 1; k >= 0; k--) {
    const t = state.turns[k];
    if (t.role === 'user' && t.images.length) return t.images;
  }
  return [];
}

function setRunning(running) {
  $('send').hidden = running;
  $('stop').hidden = !running;
  document.body.classList.toggle('running', running);
  if (running) $('stop').focus({preventScroll: true});
}

function stop() {
  state.running?.controller.abort();
}

// ------------------------------------------------------------------ rendering turns

/** Whether the page is scrolled to (near) its end, where a growing answer keeps it. */
function atEnd() {
  const page = document.scrollingElement;
  return page.scrollTop + page.clientHeight >= page.scrollHeight - 48;
}

function renderTurn(turn, scroll = true) {
  hideGallery();
  const item = document.createElement('li');
  item.className = 'turn ' + turn.role;
  turn.view = item;
  if (turn.role === 'user') {
    const who = document.createElement('h3');
    who.className = 'who';
    who.textContent = 'You';
    item.appendChild(who);
    if (turn.images.length) {
      const strip = document.createElement('div');
      strip.className = 'thumbs';
      for (const image of turn.images) {
        const img = document.createElement('img');
        img.src = image.dataUrl;
        img.alt = 'Your image: ' + image.name;
        strip.appendChild(img);
      }
      item.appendChild(strip);
    }
    const p = document.createElement('p');
    p.className = 'question';
    p.textContent = turn.text;
    item.appendChild(p);
  } else {
    // the parts of an answer, made once and updated in place while it streams (an open reasoning block stays open)
    const who = document.createElement('h3');
    who.className = 'who';
    who.textContent = 'Glimpse' + (turn.model ? ' · ' + turn.model : '');
    const reasoning = document.createElement('details');
    reasoning.className = 'reasoning';
    reasoning.hidden = true;
    const summary = document.createElement('summary');
    const thoughts = document.createElement('div');
    reasoning.append(summary, thoughts);
    const answer = document.createElement('div');
    answer.className = 'answer';
    const stats = document.createElement('p');
    stats.className = 'stats';
    item.append(who, reasoning, answer, stats);
    turn.parts = {reasoning, summary, answer, stats, figure: null, boxes: '',
      thoughts: new StreamingMarkdown(thoughts), text: new StreamingMarkdown(answer), waiting: false,
      finished: false};
  }
  $('conversation').appendChild(item);
  if (turn.role === 'assistant') updateTurn(turn, false);
  if (scroll) item.scrollIntoView({block: 'end'});
  return item;
}

/**
 * Shows what a turn holds now. While it runs, the page follows its end if it was there (someone who scrolled up to
 * read stays where they are); follow = false leaves the scrolling to the caller.
 */
function updateTurn(turn, follow = true) {
  const item = turn.view;
  const parts = turn.parts;
  if (!item || !parts) return;
  const running = state.running?.turn === turn;
  const scroll = follow && running && atEnd();
  turn.updates++;
  item.dataset.updates = String(turn.updates);
  item.setAttribute('aria-busy', String(running));
  item.dataset.state = running ? 'running' : (turn.stats?.finishReason || 'done');

  const boxes = turn.images.length ? parseBoxes(turn.text) : [];
  const boxKey = JSON.stringify(boxes);
  if (boxKey !== parts.boxes) {
    // redrawn only when the boxes change, not on every token: the image under them may be a large photo
    parts.boxes = boxKey;
    parts.figure?.remove();
    parts.figure = boxes.length ? boxedImage(turn.images[0], boxes) : null;
    if (parts.figure) parts.reasoning.before(parts.figure);
  }

  parts.reasoning.hidden = !turn.reasoning;
  const summary = running && !turn.text ? 'Thinking…' : 'Reasoning';
  if (parts.summary.textContent !== summary) parts.summary.textContent = summary;
  if (running) {
    parts.thoughts.update(turn.reasoning);
    if (turn.text) {
      if (parts.waiting) parts.text.reset();
      parts.waiting = false;
      parts.text.update(turn.text);
    } else {
      const wait = turn.reasoning ? '' : 'Waiting for the model…';
      if (!parts.waiting || parts.answer.textContent !== wait) {
        parts.text.reset();
        parts.answer.textContent = wait;
        parts.waiting = true;
      }
    }
  } else if (!parts.finished) {
    // the whole answer drawn once more, as a saved conversation draws it
    parts.finished = true;
    parts.waiting = false;
    parts.thoughts.finish(turn.reasoning);
    parts.text.finish(turn.text);
  }
  parts.answer.classList.toggle('pending', running && !turn.text);
  parts.stats.textContent = statsLine(turn, running);
  if (scroll) item.scrollIntoView({block: 'end'});
}

function boxedImage(image, boxes) {
  const figure = document.createElement('figure');
  figure.className = 'boxed';
  const img = document.createElement('img');
  img.src = image.dataUrl;
  img.alt = image.name + ' with ' + boxes.length + ' box' + (boxes.length === 1 ? '' : 'es') + ' from the answer';
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 1000 1000');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  boxes.forEach((b, k) => {
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('class', 'box c' + (k % 6));
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', Math.min(b.x1, b.x2));
    rect.setAttribute('y', Math.min(b.y1, b.y2));
    rect.setAttribute('width', Math.abs(b.x2 - b.x1));
    rect.setAttribute('height', Math.abs(b.y2 - b.y1));
    rect.setAttribute('vector-effect', 'non-scaling-stroke');
    g.appendChild(rect);
    svg.appendChild(g);
  });
  const labels = document.createElement('div');
  labels.className = 'box-labels';
  boxes.forEach((b, k) => {
    const tag = document.createElement('span');
    tag.className = 'box-label c' + (k % 6);
    tag.textContent = String(k + 1);
    tag.style.left = (Math.min(b.x1, b.x2) / 10) + '%';
    tag.style.top = (Math.min(b.y1, b.y2) / 10) + '%';
    labels.appendChild(tag);
  });
  const frame = document.createElement('div');
  frame.className = 'frame';
  frame.append(img, svg, labels);
  figure.appendChild(frame);
  return figure;
}

function seconds(ms) {
  return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
}

function statsLine(turn, running) {
  const s = turn.stats;
  if (!s) return '';
  const now = s.finished ?? performance.now();
  const parts = [];
  if (s.firstToken !== null) parts.push('first token ' + seconds(s.firstToken - s.started));
  if (!running) parts.push('answer ' + seconds(now - s.started));
  if (s.usage) {
    parts.push(s.usage.prompt_tokens + ' prompt + ' + s.usage.completion_tokens + ' answer tokens');
    if (s.firstToken !== null && s.usage.completion_tokens > 1 && now > s.firstToken) {
      parts.push((1000 * (s.usage.completion_tokens - 1) / (now - s.firstToken)).toFixed(1) + ' tokens/s');
    }
  }
  const reasons = {length: 'stopped at max tokens', stopped: 'stopped by you', abort: 'stopped by the server',
    incomplete: 'incomplete', error: 'failed'};
  if (!running && reasons[s.finishReason]) parts.push(reasons[s.finishReason]);
  if (running) parts.unshift('answering…');
  return parts.join(' · ');
}

function clearConversation() {
  if (state.running) stop();
  state.turns = [];
  $('conversation').replaceChildren();
  hideError();
  showGallery();
  $('question').focus();
}

function hideGallery() { $('gallery').hidden = true; }
function showGallery() { if (state.turns.length === 0) $('gallery').hidden = false; }

// ------------------------------------------------------------------ download

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function stamp() {
  return new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
}

function asMarkdown() {
  const out = ['# Glimpse conversation', '', 'Model: ' + (state.model || 'unknown') + ' · ' + new Date().toISOString(), ''];
  const system = $('system-prompt').value.trim();
  if (system) out.push('**System:** ' + system, '');
  for (const t of state.turns) {
    if (t.role === 'user') {
      out.push('## You', '');
      if (t.images.length) out.push('Images: ' + t.images.map(i => i.name).join(', '), '');
      out.push(t.text, '');
    } else {
      out.push('## Glimpse', '');
      if (t.reasoning) out.push('<details><summary>Reasoning</summary>', '', t.reasoning, '', '</details>', '');
      out.push(t.text || '(no answer)', '');
      const line = t.stats ? statsLine(t, false) : '';
      if (line) out.push('*' + line + '*', '');
    }
  }
  return out.join('\n');
}

function asJson() {
  const s = settings();
  return JSON.stringify({
    model: state.model,
    exported: new Date().toISOString(),
    settings: s,
    turns: state.turns.map(t => t.role === 'user'
      ? {role: 'user', text: t.text, images: t.images.map(i => ({name: i.name, url: i.dataUrl}))}
      : {role: 'assistant', model: t.model, text: t.text, reasoning: t.reasoning, boxes: parseBoxes(t.text),
         finish_reason: t.stats?.finishReason ?? null, usage: t.stats?.usage ?? null,
         first_token_ms: t.stats?.firstToken != null ? Math.round(t.stats.firstToken - t.stats.started) : null,
         total_ms: t.stats?.finished != null ? Math.round(t.stats.finished - t.stats.started) : null}),
  }, null, 2);
}

/** Shows a conversation saved with “Download JSON”; asking on continues it. */
function openConversation(text, fileName) {
  let saved;
  try {
    saved = JSON.parse(text);
  } catch (e) {
    throw new Error('“' + fileName + '” is not a conversation saved by this page (not JSON).');
  }
  if (!Array.isArray(saved?.turns)) {
    throw new Error('“' + fileName + '” is not a conversation saved by this page (it has no "turns").');
  }
  const turns = [];
  for (const t of saved.turns) {
    if (t?.role === 'user' && typeof t.text === 'string') {
      // only inline images: a saved file must not make the page fetch anything
      const images = (t.images || []).filter(i => typeof i?.url === 'string' && i.url.startsWith('data:image/'))
        .map(i => ({name: String(i.name || 'image'), dataUrl: i.url}));
      turns.push({role: 'user', text: t.text, images});
    } else if (t?.role === 'assistant' && typeof t.text === 'string') {
      turns.push({role: 'assistant', text: t.text, reasoning: String(t.reasoning || ''), updates: 0, images: [],
        model: typeof t.model === 'string' ? t.model : (typeof saved.model === 'string' ? saved.model : null),
        stats: {started: 0, firstToken: t.first_token_ms ?? null, finished: t.total_ms ?? null,
          usage: t.usage ?? null, finishReason: t.finish_reason ?? null}});
    }
  }
  clearConversation();
  for (const turn of turns) {
    if (turn.role === 'assistant') turn.images = imagesForBoxes();
    state.turns.push(turn);
    renderTurn(turn);
  }
  if (saved.settings) {
    const s = saved.settings;
    if (typeof s.thinking === 'boolean') $('thinking').checked = s.thinking;
    if (typeof s.system === 'string') $('system-prompt').value = s.system;
  }
}

// ------------------------------------------------------------------ gallery

async function loadGallery() {
  let examples;
  try {
    const response = await fetch('web/examples/examples.json');
    examples = await response.json();
  } catch (e) {
    return;
  }
  const list = $('gallery-list');
  for (const ex of examples) {
    const card = document.createElement('li');
    card.className = 'card';
    const img = document.createElement('img');
    img.src = 'web/examples/' + ex.image;
    img.alt = ex.alt;
    img.width = ex.width;
    img.height = ex.height;
    const title = document.createElement('h3');
    title.textContent = ex.title;
    const questions = document.createElement('div');
    questions.className = 'questions';
    for (const q of ex.questions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'suggestion';
      b.textContent = q;
      b.addEventListener('click', () => useExample(ex, q));
      questions.appendChild(b);
    }
    card.append(img, title, questions);
    list.appendChild(card);
  }
}

async function useExample(example, question) {
  const response = await fetch('web/examples/' + example.image);
  const blob = await response.blob();
  const file = new File([blob], example.image, {type: blob.type});
  state.attachments = [];
  await addFiles([file]);
  $('question').value = question;
  autosize();
  $('question').focus();
}

// ------------------------------------------------------------------ wiring

function autosize() {
  const q = $('question');
  q.style.height = 'auto';
  q.style.height = Math.min(q.scrollHeight, 200) + 'px';
}

function wire() {
  $('composer').addEventListener('submit', e => { e.preventDefault(); ask(); });
  $('stop').addEventListener('click', stop);
  $('question').addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      ask();
    }
  });
  $('question').addEventListener('input', autosize);
  document.addEventListener('keydown', e => {
    if (e.key === 'Escape' && state.running) stop();
  });
  $('file-input').addEventListener('change', e => {
    addFiles([...e.target.files]);
    e.target.value = '';
  });
  document.addEventListener('paste', e => {
    const files = [...(e.clipboardData?.files || [])].filter(f => f.type.startsWith('image/'));
    if (files.length) {
      e.preventDefault();
      addFiles(files);
    }
  });
  let dragDepth = 0;
  document.addEventListener('dragenter', e => {
    if (![...e.dataTransfer.types].includes('Files')) return;
    dragDepth++;
    $('drop-overlay').hidden = false;
  });
  document.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) $('drop-overlay').hidden = true;
  });
  document.addEventListener('dragover', e => e.preventDefault());
  document.addEventListener('drop', e => {
    e.preventDefault();
    dragDepth = 0;
    $('drop-overlay').hidden = true;
    if (e.dataTransfer?.files?.length) addFiles([...e.dataTransfer.files]);
  });
  $('error-close').addEventListener('click', hideError);
  $('key-form').addEventListener('submit', e => {
    e.preventDefault();
    state.apiKey = $('api-key').value.trim();
    sessionStorage.setItem(KEY_STORAGE, state.apiKey);
    connect();
  });
  $('settings-toggle').addEventListener('click', () => {
    const panel = $('settings');
    panel.hidden = !panel.hidden;
    $('settings-toggle').setAttribute('aria-expanded', String(!panel.hidden));
  });
  for (const [input, output] of [['temperature', 'temperature-value'], ['top-p', 'top-p-value']]) {
    $(input).addEventListener('input', () => { $(output).textContent = $(input).value; });
  }
  $('clear').addEventListener('click', clearConversation);
  $('open-file').addEventListener('change', async e => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      openConversation(await file.text(), file.name);
    } catch (err) {
      showError(err.message);
    }
  });
  $('download-md').addEventListener('click', () => download('glimpse-' + stamp() + '.md', 'text/markdown', asMarkdown()));
  $('download-json').addEventListener('click', () => download('glimpse-' + stamp() + '.json', 'application/json', asJson()));
  if (window.matchMedia('(min-width: 900px)').matches) {
    $('settings').hidden = false;
    $('settings-toggle').setAttribute('aria-expanded', 'true');
  }
}

wire();
connect();
loadGallery();
$('question').focus();
