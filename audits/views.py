"""Views of the audits app: parse, call one service or selector, render."""
