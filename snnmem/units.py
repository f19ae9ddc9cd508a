"""Physical quantities written as strings in model files ("250 ms", "0.381 nS").

A value is a number followed by a unit expression made of Brian2 unit names,
``*``, ``/`` and integer powers (``"0.5 nF"``, ``"1.8 kHz"``, ``"0.062 / mV"``,
``"2 * mV"``). The expression is parsed with :mod:`ast` and evaluated against
Brian2's unit namespace only, so a model file can never run code; its length, its
number of operations and its powers are bounded (:data:`MAX_TEXT`,
:data:`MAX_OPERATIONS`, :data:`MAX_POWER`), so no text makes parsing hang or recurse
without end, and the result must be finite.
"""

from __future__ import annotations

import ast
import math
import re
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["parse_quantity", "format_quantity", "dimension_name", "UnitParseError"]


class UnitParseError(ValueError):
    """The text is not a number followed by a valid Brian2 unit expression."""


#: longest quantity text accepted (a unit expression is a few names; this bounds parsing work)
MAX_TEXT = 120
#: largest absolute integer power in a unit expression (``mV**2`` is fine; ``10**100000000`` is refused)
MAX_POWER = 8
#: largest operator count in a unit expression
MAX_OPERATIONS = 16


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


@lru_cache(maxsize=1)
def _unit_namespace() -> dict[str, Any]:
    from brian2.units import allunits, stdunits

    namespace: dict[str, Any] = {}
    for module in (allunits, stdunits):
        for name in dir(module):
            value = getattr(module, name)
            if type(value).__name__ == "Unit":
                namespace[name] = value
    # SI symbols Brian2 spells out in full
    namespace.setdefault("s", namespace["second"])
    namespace.setdefault("Hz", namespace["hertz"])
    return namespace


def _evaluate(node: ast.AST, namespace: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, namespace)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)  # floats: no unbounded integer arithmetic
    if isinstance(node, ast.Name):
        if node.id not in namespace:
            raise UnitParseError(f"unknown unit {node.id!r}")
        return namespace[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        power, sign = node.right, 1
        if isinstance(power, ast.UnaryOp) and isinstance(power.op, ast.USub):
            power, sign = power.operand, -1
        if not (isinstance(power, ast.Constant) and type(power.value) is int):
            raise UnitParseError("unit powers must be integer numbers (mV**2, ms**-1)")
        if power.value > MAX_POWER:
            raise UnitParseError(f"unit powers must lie between -{MAX_POWER} and {MAX_POWER}, got {sign * power.value}")
        return _evaluate(node.left, namespace) ** (sign * power.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        left = _evaluate(node.left, namespace)
        right = _evaluate(node.right, namespace)
        return left * right if isinstance(node.op, ast.Mult) else left / right
    raise UnitParseError("only numbers, unit names, '*', '/' and '**' are allowed")


def parse_quantity(text: str) -> Any:
    """Parse ``"<number> <unit expression>"`` into a Brian2 quantity.

    Parameters
    ----------
    text
        For example ``"250 ms"``, ``"-70 mV"``, ``"0.5 / ms"``. A bare number
        (``"3"``) gives a dimensionless quantity.

    Returns
    -------
    brian2.Quantity
        The value in SI base units with its dimensions.

    Raises
    ------
    UnitParseError
        When the number or the unit expression cannot be read.
    """
    if not isinstance(text, str):
        raise UnitParseError(f"expected a string such as '20 ms', got {text!r}")
    if len(text) > MAX_TEXT:
        raise UnitParseError(f"{text[:40]!r}... is {len(text)} characters long; a quantity has at most {MAX_TEXT}")
    match = _NUMBER.match(text)
    if match is None:
        raise UnitParseError(f"{text!r} does not start with a number")
    number = float(match.group(1))
    if not math.isfinite(number):
        raise UnitParseError(f"{text!r} is not a finite number")
    unit_text = match.group(2)
    from brian2 import Quantity

    if not unit_text:
        return Quantity(number)
    if unit_text.startswith("/"):
        unit_text = "1 " + unit_text
    try:
        tree = ast.parse(unit_text, mode="eval")
    except SyntaxError as error:
        raise UnitParseError(f"cannot read the unit of {text!r}") from error
    operations = sum(isinstance(node, ast.BinOp) for node in ast.walk(tree))
    if operations > MAX_OPERATIONS:
        raise UnitParseError(f"the unit of {text!r} has {operations} operations; at most {MAX_OPERATIONS}")
    try:
        with np.errstate(all="raise"):
            unit = _evaluate(tree, _unit_namespace())
            value = Quantity(number * unit)
    except (OverflowError, ZeroDivisionError, FloatingPointError) as error:
        raise UnitParseError(f"{text!r} is not a finite quantity ({error})") from None
    if not np.all(np.isfinite(np.asarray(value))):
        raise UnitParseError(f"{text!r} is not a finite quantity")
    return value


def dimension_name(quantity: Any) -> str:
    """Human-readable dimension of a quantity (``"second"``, ``"siemens"``, ``"1"``)."""
    from brian2 import get_dimensions
    from brian2.units.fundamentalunits import get_unit

    dims = get_dimensions(quantity)
    return "dimensionless" if dims.is_dimensionless else f"{get_unit(dims)!r}"


def format_quantity(quantity: Any) -> str:
    """Format a Brian2 quantity as text that :func:`parse_quantity` reads back."""
    return str(quantity)
