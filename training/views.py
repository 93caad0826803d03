"""Views of the training app: parse, call one service or selector, render."""
