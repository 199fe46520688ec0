"""Google's `fields` partial-response masks: 'a,b(c,d/e),f.g' applied to a JSON reply."""
from __future__ import annotations


def parse_mask(mask: str) -> dict:
    """'sheets(properties(title),data)' -> {'sheets': {'properties': {'title': {}}, 'data': {}}}."""
    tree: dict = {}
    stack = [tree]
    token = ""

    def flush():
        nonlocal token
        name = token.strip()
        token = ""
        if not name:
            return None
        node = stack[-1]
        for part in name.replace("/", ".").split("."):
            node = node.setdefault(part, {})
        return node

    for ch in mask:
        if ch == "(":
            node = flush()
            stack.append(node if node is not None else stack[-1])
        elif ch == ")":
            flush()
            stack.pop()
        elif ch == ",":
            flush()
        else:
            token += ch
    flush()
    return tree


def apply_mask(value, tree: dict):
    """Keep only the masked fields; an empty subtree keeps the whole value."""
    if not tree:
        return value
    if isinstance(value, list):
        return [apply_mask(v, tree) for v in value]
    if isinstance(value, dict):
        if "*" in tree:
            return value
        return {k: apply_mask(value[k], sub) for k, sub in tree.items() if k in value}
    return value
