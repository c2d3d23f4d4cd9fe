/**
 * The script editor of "Be the peer": CodeMirror 6 with packetdrill highlighting, line numbers and history,
 * and one line that can be marked as the line that did not hold. Themed from the page's CSS variables.
 */
import { history, historyKeymap, indentWithTab, standardKeymap } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { pktLanguage } from './pkt-language.ts';
import { editorChrome } from '../editor/chrome.ts';

interface Palette {
  comment: string;
  number: string;
  flags: string;
  keyword: string;
  call: string;
  errno: string;
  constant: string;
  string: string;
}

const style = (c: Palette) =>
  HighlightStyle.define([
    { tag: t.comment, color: c.comment, fontStyle: 'italic' },
    { tag: [t.number, t.meta], color: c.number },
    { tag: t.atom, color: c.flags, fontWeight: '700' },
    { tag: t.operator, color: c.flags, fontWeight: '700' },
    { tag: t.keyword, color: c.keyword },
    { tag: t.definition(t.variableName), color: c.call, fontWeight: '600' },
    { tag: t.standard(t.variableName), color: c.errno },
    { tag: t.special(t.variableName), color: c.constant },
    { tag: t.string, color: c.string },
  ]);

const light = style({ comment: '#5c6670', number: '#0b4fa0', flags: '#8a1f8a', keyword: '#0a5f6b', call: '#7a3e00', errno: '#b42318', constant: '#3b4550', string: '#0a5d1e' });
const dark = style({ comment: '#9aa4ae', number: '#9cd1ff', flags: '#ff9bd2', keyword: '#8de4ee', call: '#ffc777', errno: '#ff9b93', constant: '#c9d1d9', string: '#a5e8a0' });

const chrome = editorChrome('13px', {
  '.cm-pkt-failed': { backgroundColor: 'var(--err-soft)', boxShadow: 'inset 3px 0 0 var(--err)' },
});

const setFailed = StateEffect.define<number | null>();
const failedLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setFailed)) continue;
      if (e.value === null || e.value > tr.state.doc.lines) deco = Decoration.none;
      else deco = Decoration.set([Decoration.line({ class: 'cm-pkt-failed', attributes: { 'data-failed-line': String(e.value) } }).range(tr.state.doc.line(e.value).from)]);
    }
    // Editing the script makes the old verdict stale.
    return tr.docChanged ? Decoration.none : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface PktEditor {
  getValue(): string;
  setValue(text: string): void;
  /** Marks a 1-based line as the one that did not hold (null clears it) and scrolls it into view. */
  markFailed(line: number | null): void;
  focus(): void;
  destroy(): void;
}

export function createPktEditor(parent: HTMLElement, value: string, label: string, onChange: (text: string) => void): PktEditor {
  const colours = new Compartment();
  const isDark = () => document.documentElement.dataset['theme'] === 'dark';
  const highlight = (): Extension => syntaxHighlighting(isDark() ? dark : light);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: value,
      extensions: [
        lineNumbers(),
        history(),
        StreamLanguage.define(pktLanguage),
        colours.of(highlight()),
        chrome,
        failedLine,
        EditorState.tabSize.of(4),
        keymap.of([...standardKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  const onTheme = () => view.dispatch({ effects: colours.reconfigure(highlight()) });
  document.addEventListener('tcplab:theme', onTheme);
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    markFailed(line) {
      const effects: Array<StateEffect<unknown>> = [setFailed.of(line)];
      if (line !== null && line <= view.state.doc.lines) effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'center' }));
      view.dispatch({ effects });
    },
    focus: () => view.focus(),
    destroy: () => {
      document.removeEventListener('tcplab:theme', onTheme);
      view.destroy();
    },
  };
}
