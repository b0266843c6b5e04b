// The one renderer of what a human reads before approving: the approval page, the elicitation question and the
// token message all come from here, from one compact model made once per question (`prepare`). The server's own
// summary and reasons come first; every piece of agent or AWS data is quoted, escaped onto one line and cut to a
// bounded length with its size and hash, and the whole model is bounded, so no value can forge an explanation.
import { createHash } from 'node:crypto';
import { isSummary } from '../patch/bounded.js';
import type { HumanView, Shown, ViewGroup } from './view.js';

/** Characters of one quoted value shown before it is cut (its size and hash then follow). */
export const VALUE_MAX_CHARS = 160;
/** Characters of one piece of server text (title, reason, heading, note). */
const WORDS_MAX_CHARS = 400;
/** Characters of all changes together; beyond it the rest is counted, never dropped silently. */
const CHANGES_MAX_CHARS = 6000;
/** Batch targets shown before the rest is collapsed ("and N more"). */
export const TARGETS_SHOWN = 12;
/** Batch targets kept at all (the rest counted). */
const TARGETS_KEPT = 500;

/** What a person reads, made once per question and kept while it waits: small whatever the change's size. */
export interface Prepared {
  title: string;
  kind: HumanView['kind'];
  risk: string;
  reasons: string[];
  /** Who and where, in the order shown; `data` values are quoted, `warn` ones highlighted (a prod-like stage). */
  facts: { label: string; items: { text: string; data: boolean; warn?: boolean }[] }[];
  groups: { heading: string; action: ViewGroup['action']; changes: { setting: string; before: Cell; after: Cell }[] }[];
  /** Changes left out to keep the message bounded. */
  omitted: number;
  targets?: { shown: string[]; more: string[]; uncounted: number; total: number };
  notes: string[];
}

/** A rendered value: quoted data (maybe cut) or the server's words for what it means. */
export interface Cell {
  text: string;
  data: boolean;
}

// Line and paragraph separators, bidi controls and other invisible formatting characters can reorder or hide text.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const escapeInvisible = (s: string) => s.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Server words on one line, bounded (they may embed names AWS stores). */
export function words(s: string, max = WORDS_MAX_CHARS): string {
  const one = escapeInvisible(s);
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Data quoted on one line: control characters escaped, cut beyond `max` characters with its size and sha256. */
export function quote(value: unknown, max = VALUE_MAX_CHARS): string {
  // A bounded document's summary of a long string: its head, with the size and hash of the whole.
  if (isSummary(value)) return `${cutEscaped(escapeInvisible(JSON.stringify(value.head)), max)}… (${value.bytes} bytes, sha256 ${value.sha256.slice(0, 16)})`;
  const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  // JSON quoting escapes newlines, tabs and the other control characters; the rest of the invisible ones follow.
  // Only the part that can be shown is escaped (each character becomes at most 6): a 300 KB value costs no more.
  const part = raw.length > max ? raw.slice(0, max) : raw;
  const text = escapeInvisible(typeof value === 'string' ? JSON.stringify(part).slice(0, part === raw ? undefined : -1) : part);
  if (part !== raw) return `${cutEscaped(text, max)}… (${Buffer.byteLength(raw)} bytes, sha256 ${sha(raw).slice(0, 16)})`;
  return text.length <= max ? text : `${cutEscaped(text, max)}… (${Buffer.byteLength(raw)} bytes, sha256 ${sha(raw).slice(0, 16)})`;
}

/** The first `max` characters of escaped text, without a half escape sequence at the end. */
function cutEscaped(text: string, max: number): string {
  const head = text.slice(0, max);
  const m = /\\+(u[0-9a-fA-F]{0,3})?$/.exec(head);
  if (!m) return head;
  const slashes = m[0].length - (m[1]?.length ?? 0);
  // An odd run of backslashes ends in one that starts an escape the cut broke: drop it and what follows.
  return slashes % 2 === 1 ? head.slice(0, m.index + slashes - 1) : head;
}

const cell = (s: Shown): Cell => ('meaning' in s ? { text: words(s.meaning, VALUE_MAX_CHARS), data: false } : { text: quote(s.value), data: true });

/** Stage names that look like production: the page highlights them. */
export const isProdLike = (stage: string) => /(^|[^a-z])(prod|production|prd|live)([^a-z]|$)/i.test(stage);

export function prepare(v: HumanView): Prepared {
  const item = (text: string, data = false, warn = false) => ({ text, data, ...(warn ? { warn } : {}) });
  const facts: Prepared['facts'] = [];
  const fact = (label: string, items: Prepared['facts'][number]['items']) => void (items.length && facts.push({ label, items }));
  fact('Account', v.account ? [item(words(v.account))] : []);
  fact('Region', v.region ? [item(words(v.region))] : []);
  fact('Profile', v.profile ? [item(quote(v.profile), true)] : []);
  fact('Backend', [item(words(v.backend))]);
  fact('API', [item(`${v.api.name !== undefined ? `${quote(v.api.name)} ` : ''}(${words(v.api.id, 64)})`, v.api.name !== undefined)]);
  if (v.stages) fact('Stages serving it', v.stages.length ? v.stages.slice(0, 20).map((s) => item(quote(s), true, isProdLike(s))) : [item('none yet')]);
  if (v.stages && v.stages.length > 20) facts.at(-1)!.items.push(item(`and ${v.stages.length - 20} more`));
  fact('Asked by (MCP client)', [v.client !== undefined ? item(quote(v.client), true) : item('unknown')]);

  let budget = CHANGES_MAX_CHARS;
  let omitted = 0;
  const groups: Prepared['groups'] = [];
  for (const g of v.groups) {
    const changes: Prepared['groups'][number]['changes'] = [];
    for (const c of g.changes) {
      const shown = { setting: words(c.setting, 200), before: cell(c.before), after: cell(c.after) };
      const size = shown.setting.length + shown.before.text.length + shown.after.text.length + 8;
      if (size > budget) {
        omitted++;
        continue;
      }
      budget -= size;
      changes.push(shown);
    }
    if (changes.length || g.changes.length === 0) groups.push({ heading: words(g.heading, 200), action: g.action, changes });
  }
  const kept = v.targets?.slice(0, TARGETS_KEPT).map((t) => quote(t, 120));
  return {
    title: words(v.title),
    kind: v.kind,
    risk: words(v.risk, 20),
    reasons: v.reasons.slice(0, 20).map((r) => words(r)),
    facts,
    groups,
    omitted,
    ...(kept && v.targets
      ? { targets: { shown: kept.slice(0, TARGETS_SHOWN), more: kept.slice(TARGETS_SHOWN), uncounted: v.targets.length - kept.length, total: v.targets.length } }
      : {}),
    notes: (v.notes ?? []).slice(0, 20).map((n) => words(n)),
  };
}

/** Bytes a prepared view takes while it waits (what the caps count). */
export const sizeOf = (p: Prepared) => Buffer.byteLength(JSON.stringify(p));

/** "Needs your approval because a; b." — the reasons in plain words. */
function why(p: Prepared): string {
  return `Needs your approval because ${p.reasons.length ? p.reasons.join('; ') : 'this server is configured to ask a human before every change (--confirm always)'}.`;
}

/** The reasons, then the internal level name, secondary. */
export const because = (p: Prepared) => `${why(p)} (risk level: ${p.risk})`;

/** How a group's action reads after its heading; a plain update needs no word. */
const ACTION: Record<ViewGroup['action'], string> = { create: ' (created)', update: '', replace: ' (replaced)', delete: ' (deleted)' };

/** Plain text, one fact per line: the elicitation question and the token message. */
export function renderText(p: Prepared): string {
  const lines = [p.title, because(p)];
  for (const f of p.facts) lines.push(`${f.label}: ${f.items.map((i) => (i.warn ? `${i.text} (PRODUCTION)` : i.text)).join(', ')}`);
  for (const g of p.groups) {
    lines.push(`${g.heading}${ACTION[g.action]}:`);
    for (const c of g.changes) lines.push(`  ${c.setting}: ${c.before.text} -> ${c.after.text}`);
  }
  if (p.omitted) lines.push(`… and ${p.omitted} more change(s) not shown here (the message is kept short); a dryRun of the same call lists them all.`);
  if (p.targets) {
    const rest = p.targets.total - p.targets.shown.length;
    lines.push(`Targets (${p.targets.total}): ${p.targets.shown.join(', ')}${rest ? `, and ${rest} more` : ''}`);
  }
  for (const n of p.notes) lines.push(`Note: ${n}`);
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const htmlCell = (c: Cell) => (c.data ? `<code>${esc(c.text)}</code>` : `<i>${esc(c.text)}</i>`);

const STYLE = `*{box-sizing:border-box}body{font:16px/1.45 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#111;overflow-wrap:anywhere}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.05rem;margin:1.2rem 0 .4rem}.why{background:#fff4e5;border-left:4px solid #e67e00;padding:.6rem .8rem}
.level{color:#555;font-size:.85rem}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .8rem;margin:.8rem 0}dt{font-weight:600}dd{margin:0}
.warn{background:#c00;color:#fff;padding:0 .3rem;border-radius:3px;font-weight:700}code{font:14px ui-monospace,monospace;background:#f2f2f2;padding:0 .2rem;word-break:break-all}
.group{border:1px solid #ddd;border-radius:6px;padding:.5rem .7rem;margin:.5rem 0}.group h3{font-size:1rem;margin:0 0 .3rem}.chg{margin:.35rem 0}.setting{font-weight:600}
.old{background:#fee;padding:0 .2rem}.new{background:#efe;padding:0 .2rem}.arrow{color:#555;padding:0 .3rem}
button{font-size:1rem;padding:.6rem 1.4rem;margin:.3rem .8rem .3rem 0;border:0;border-radius:4px}.approve{background:#2a7;color:#fff}.reject{background:#c44;color:#fff}
.status{font-weight:700}small{color:#555}details summary{cursor:pointer}ul{padding-left:1.2rem}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr}dt{margin-top:.3rem}}`;

/** The approval page body: `form` is the server's own decision form (or status line), placed after what it decides. */
export function renderPage(p: Prepared, opts: { form: string; note?: string; footer: string }): string {
  const facts = p.facts.map((f) => `<dt>${esc(f.label)}</dt><dd>${f.items.map((i) => (i.warn ? `<span class="warn">${esc(i.text)} · production</span>` : i.data ? `<code>${esc(i.text)}</code>` : esc(i.text))).join(', ')}</dd>`).join('');
  const groups = p.groups
    .map(
      (g) =>
        `<div class="group"><h3>${esc(g.heading)}${ACTION[g.action] ? ` <small>${ACTION[g.action]}</small>` : ''}</h3>${g.changes
          .map((c) => `<div class="chg"><div class="setting">${esc(c.setting)}</div><div><span class="old">${htmlCell(c.before)}</span><span class="arrow">→</span><span class="new">${htmlCell(c.after)}</span></div></div>`)
          .join('')}</div>`,
    )
    .join('');
  const t = p.targets;
  const targets = t
    ? `<h2>Targets (${t.total})</h2><ul id="targets">${t.shown.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ul>${
        t.more.length || t.uncounted
          ? `<details><summary>and ${t.total - t.shown.length} more</summary><ul>${t.more.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}${t.uncounted ? `<li>and ${t.uncounted} more not listed</li>` : ''}</ul></details>`
          : ''
      }`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Approve: ${esc(p.title)}</title><style>${STYLE}</style></head><body>
<h1 id="title">${esc(p.title)}</h1>${opts.note ? `<p class="status">${esc(opts.note)}</p>` : ''}
<p class="why" id="why">${esc(why(p))} <span class="level">(risk level: ${esc(p.risk)})</span></p>
<dl class="facts" id="facts">${facts}</dl>
<h2>What changes</h2><div id="changes">${groups || '<p><i>No setting changes.</i></p>'}${p.omitted ? `<p>… and ${p.omitted} more change(s) not shown (a dryRun of the same call lists them all).</p>` : ''}</div>${targets}
${p.notes.length ? `<ul id="notes">${p.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}${opts.form}
<p><small>${esc(opts.footer)}</small></p></body></html>`;
}
