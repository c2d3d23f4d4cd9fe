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
import { editorChrome } from './chrome.ts';

/** One highlighting scheme, two palettes: the colours differ between light and dark, the rules do not. */
interface Palette {
  keyword: string;
  string: string;
  literal: string;
  comment: string;
  call: string;
  definition: string;
  property: string;
}

const highlightStyle = (c: Palette) =>
  HighlightStyle.define([
    { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword], color: c.keyword },
    { tag: [t.string, t.special(t.string)], color: c.string },
    { tag: [t.number, t.bool, t.null], color: c.literal },
    { tag: [t.comment, t.lineComment, t.blockComment], color: c.comment, fontStyle: 'italic' },
    { tag: [t.function(t.variableName), t.function(t.propertyName)], color: c.call },
    { tag: [t.definition(t.variableName)], color: c.definition, fontWeight: '600' },
    { tag: t.propertyName, color: c.property },
  ]);

const light = highlightStyle({ keyword: '#8a1f8a', string: '#0a5d1e', literal: '#0b4fa0', comment: '#5c6670', call: '#7a3e00', definition: '#1b1f24', property: '#0a5f6b' });
const dark = highlightStyle({ keyword: '#ff9bd2', string: '#a5e8a0', literal: '#9cd1ff', comment: '#9aa4ae', call: '#ffc777', definition: '#e6edf3', property: '#8de4ee' });

const chrome = editorChrome('13.5px');

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
