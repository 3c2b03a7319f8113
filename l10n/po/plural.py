"""gettext's plural expressions (the `plural=` of a Plural-Forms header), parsed and evaluated without recursion.

A recursive-descent parser needs several Python frames per parenthesis, so a header msgfmt accepts (120 nested
parentheses) raised RecursionError. Here the expression goes through a shunting-yard into reverse Polish notation
and is evaluated with an explicit stack, so depth costs memory, not frames. Semantics are C's, as gettext
evaluates: unsigned 64-bit arithmetic, `&&`, `||` and `?:` that do not evaluate what they skip (a division by
zero there does not count)."""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"\s*(?:([0-9]+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()])|(\S))")
_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5,
               "*": 6, "/": 6, "%": 6, "!": 7}
_MASK = (1 << 64) - 1  # gettext evaluates in unsigned long
_TERNARY = "?:"  # the ternary operator in the postfix program
_ELSE = ":"  # on the operator stack: a ternary whose `:` was read, waiting for its third operand


class PluralError(ValueError):
    """The expression is not in gettext's plural grammar."""


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def tokens(source: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:  # only trailing whitespace is left
            break
        if m.group(4) is not None:
            raise PluralError(f"unexpected {m.group(4)!r} in plural expression {_short(source)}")
        out.append(m.group(m.lastindex or 0))
        pos = m.end()
    return out


def postfix(source: str) -> list[str]:
    """The expression in reverse Polish notation (`?:` takes three operands), or PluralError saying what is
    wrong: gettext's grammar of n, integers, ! * / % + - < > <= >= == != && || ?: and parentheses."""
    items = tokens(source)
    if not items:
        raise PluralError("empty plural expression")
    out: list[str] = []
    stack: list[str] = []
    operand = True  # what comes next: an operand (n, a number, `!` or `(`) or else an operator
    where = f"in plural expression {_short(source)}"

    def pop_operators(floor: int) -> None:
        while stack and stack[-1] in _PRECEDENCE and _PRECEDENCE[stack[-1]] >= floor:
            out.append(stack.pop())

    def close_ternaries() -> None:
        pop_operators(0)
        while stack and stack[-1] == _ELSE:
            stack.pop()
            out.append(_TERNARY)
            pop_operators(0)

    for token in items:
        if operand:
            if token == "n" or token.isdigit():
                out.append(token)
                operand = False
            elif token in ("!", "("):
                stack.append(token)
            else:
                raise PluralError(f"expected n, a number or '(' but found {token!r} {where}")
            continue
        if token in _PRECEDENCE and token != "!":
            pop_operators(_PRECEDENCE[token])  # left-associative
            stack.append(token)
        elif token == "?":
            pop_operators(0)
            stack.append(token)
        elif token == ":":
            close_ternaries()  # a complete ternary in the `then` branch
            if not stack or stack[-1] != "?":
                raise PluralError(f"unexpected ':' {where}")
            stack[-1] = _ELSE
        elif token == ")":
            close_ternaries()
            if stack and stack[-1] == "?":
                raise PluralError(f"expected ':' but found ')' {where}")
            if not stack:
                raise PluralError(f"unexpected ')' {where}")
            stack.pop()  # its "("
            continue
        else:
            raise PluralError(f"unexpected {token!r} {where}")
        operand = True
    if operand:
        raise PluralError(f"expected n, a number or '(' but found the end {where}")
    close_ternaries()
    if stack:
        raise PluralError(f"expected {':' if stack[-1] == '?' else ')'!r} but found the end {where}")
    return out


_BINARY: dict[str, Callable[[int, int], int]] = {
    "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b), "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b), "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b),
    "+": lambda a, b: (a + b) & _MASK, "-": lambda a, b: (a - b) & _MASK, "*": lambda a, b: (a * b) & _MASK,
}


def evaluate(program: list[str], n: int) -> int:
    """Run a postfix program for one n. Every operand is computed (it is a flat list), but a division by zero
    only counts where C would have evaluated it: it yields None, which `&&`, `||` and `?:` may discard and
    every other operator passes on; ZeroDivisionError if it reaches the result."""
    stack: list[int | None] = []
    push, pop = stack.append, stack.pop
    n &= _MASK
    for op in program:
        if op == "n":
            push(n)
        elif op.isdigit():
            push(int(op) & _MASK)
        elif op == "!":
            a = pop()
            push(None if a is None else int(not a))
        elif op == _TERNARY:
            no, yes, condition = pop(), pop(), pop()
            push(None if condition is None else yes if condition else no)
        else:
            b, a = pop(), pop()
            if a is None:  # evaluated first, whatever the operator
                push(None)
            elif op == "&&":
                push(0 if not a else None if b is None else int(bool(b)))
            elif op == "||":
                push(1 if a else None if b is None else int(bool(b)))
            elif b is None:
                push(None)
            elif op in "/%":
                push(None if b == 0 else a // b if op == "/" else a % b)
            else:
                push(_BINARY[op](a, b))
    result = stack[-1]
    if result is None:
        raise ZeroDivisionError("division by zero in plural expression")
    return result


def compile_plural(source: str) -> Callable[[int], int]:
    """The expression as a function of n (PluralError when it does not parse)."""
    program = postfix(source)
    return lambda n: evaluate(program, n)


POT_PLACEHOLDER = "nplurals=INTEGER; plural=EXPRESSION;"  # xgettext's Plural-Forms in a template: no rule yet


def plural_forms(value: str) -> tuple[int, Callable[[int], int]]:
    """The one Plural-Forms parser: `nplurals=N; plural=EXPR;` (EXPR in gettext's C subset) as (N, a function of
    n), for the loader and the po-valid check alike; PluralError (a ValueError) says what is wrong."""
    fields: dict[str, str] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name, sep, rhs = part.partition("=")
        name = name.strip()
        if not sep or name not in ("nplurals", "plural"):
            raise PluralError(f"expected nplurals=N; plural=EXPRESSION;, got {_short(part)}")
        if name in fields:
            raise PluralError(f"{name} given twice")
        fields[name] = rhs.strip()
    if "nplurals" not in fields:
        raise PluralError("missing nplurals=N")
    if "plural" not in fields:
        raise PluralError("missing plural=EXPRESSION")
    nplurals = fields["nplurals"]
    if not nplurals.isascii() or not nplurals.isdigit() or int(nplurals) < 1:
        raise PluralError(f"nplurals must be a positive integer, not {_short(nplurals)}")
    return int(nplurals), compile_plural(fields["plural"])  # iterative: any depth of parentheses
