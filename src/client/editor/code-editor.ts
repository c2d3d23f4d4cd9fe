/**
 * The exercise editor: CodeMirror 6 with only the parts we use (JavaScript, history, bracket matching,
 * indentation, line numbers), themed from the page's CSS variables so light and dark both read well.
 */
import { history, historyKeymap, indentWithTab, insertNewlineAndIndent, standardKeymap } from '@codemirror/commands';
// CodeMirror's stream-parser JavaScript mode: a fifth of the size of the Lezer grammar (which also
// carries TypeScript and JSX), and plenty for highlighting one small ESM file.
import { javascript } from '@codemirror/legacy-modes/mode/javascript';
import { HighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

const light = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword], color: '#8a1f8a' },
  { tag: [t.string, t.special(t.string)], color: '#0a5d1e' },
  { tag: [t.number, t.bool, t.null], color: '#0b4fa0' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#5c6670', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: '#7a3e00' },
  { tag: [t.definition(t.variableName)], color: '#1b1f24', fontWeight: '600' },
  { tag: t.propertyName, color: '#0a5f6b' },
]);

const dark = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword], color: '#ff9bd2' },
  { tag: [t.string, t.special(t.string)], color: '#a5e8a0' },
  { tag: [t.number, t.bool, t.null], color: '#9cd1ff' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#9aa4ae', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: '#ffc777' },
  { tag: [t.definition(t.variableName)], color: '#e6edf3', fontWeight: '600' },
  { tag: t.propertyName, color: '#8de4ee' },
]);

const chrome = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--fg)', fontSize: '13.5px', height: '100%' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '&.cm-focused': { outline: '2px solid var(--focus, var(--accent))', outlineOffset: '-2px' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
});

const isDark = () => document.documentElement.dataset['theme'] === 'dark';

export interface CodeEditor {
  getValue(): string;
  setValue(text: string): void;
  focus(): void;
  destroy(): void;
}

export interface CodeEditorOptions {
  parent: HTMLElement;
  value: string;
  label: string;
  readOnly?: boolean;
  onChange?: (text: string) => void;
}

export function createCodeEditor(opts: CodeEditorOptions): CodeEditor {
  const colours = new Compartment();
  const highlight = () => syntaxHighlighting(isDark() ? dark : light);
  const view = new EditorView({
    parent: opts.parent,
    state: EditorState.create({
      doc: opts.value,
      extensions: [
        lineNumbers(),
        history(),
        indentOnInput(),
        StreamLanguage.define(javascript),
        colours.of(highlight()),
        chrome,
        EditorState.tabSize.of(2),
        EditorState.readOnly.of(opts.readOnly ?? false),
        EditorView.editable.of(!(opts.readOnly ?? false)),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's accessible tab handling).
        keymap.of([{ key: 'Enter', run: insertNewlineAndIndent }, ...standardKeymap, ...historyKeymap, indentWithTab]),
        // An explicit tabindex makes the editable area count as the scroll region's focusable content (axe).
        EditorView.contentAttributes.of({ 'aria-label': opts.label, tabindex: '0' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) opts.onChange?.(u.state.doc.toString());
        }),
      ],
    }),
  });
  const onTheme = () => view.dispatch({ effects: colours.reconfigure(highlight()) });
  document.addEventListener('tcplab:theme', onTheme);
  return {
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
    destroy: () => {
      document.removeEventListener('tcplab:theme', onTheme);
      view.destroy();
    },
  };
}
