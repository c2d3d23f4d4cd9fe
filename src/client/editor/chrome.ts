/**
 * The look of every CodeMirror editor of the site (the exercise editor, "Be the peer"'s script editor): colours
 * from the page's CSS variables, so that light and dark both read well; `extra` adds an editor's own rules.
 */
import { EditorView } from '@codemirror/view';

export function editorChrome(fontSize: string, extra: Parameters<typeof EditorView.theme>[0] = {}) {
  return EditorView.theme({
    '&': { backgroundColor: 'var(--code-bg)', color: 'var(--fg)', fontSize, height: '100%' },
    '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)' },
    '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
    '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
    '&.cm-focused': { outline: '2px solid var(--focus, var(--accent))', outlineOffset: '-2px' },
    '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent) !important' },
    '.cm-cursor': { borderLeftColor: 'var(--fg)' },
    ...extra,
  });
}
