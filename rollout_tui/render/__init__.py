"""Plain-text output (`get`, `list`), byte-compatible with the kubectl argo rollouts plugin.

Renderers are pure functions of model view models; text from objects is sanitised (safe.py)
before it is coloured (ansi.py) or laid out (tabwriter.py).
"""
