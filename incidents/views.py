"""Views of the incidents app: parse, call one service or selector, render."""
