"""numba's ``njit``, typed for mypy: a decorated kernel keeps its annotated signature.

numba itself has no type information (to mypy ``numba.njit`` is untyped), so every kernel would be
untyped to its callers. The annotations are for the reader and mypy only: numba compiles from the
arguments it is called with, not from annotations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt
from numba import njit as _njit

F = TypeVar("F", bound=Callable[..., Any])

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
Bools = npt.NDArray[np.bool_]
#: an integer scalar inside a kernel: a Python int from the caller, a numpy integer read from an array
Int: TypeAlias = int | np.integer[Any]


def njit(**options: Any) -> Callable[[F], F]:
    """``numba.njit(**options)`` as a decorator that keeps the function's type (options go to numba)."""
    decorator: Callable[[F], F] = _njit(**options)
    return decorator
