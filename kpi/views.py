"""Views of the kpi app: parse, call one service or selector, render."""
