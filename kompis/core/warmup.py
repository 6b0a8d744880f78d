"""Run once at install: compile the matching engine's numba kernels into their cache, so a user's first
`kompis match` is not slowed by compiling."""

from __future__ import annotations


def main() -> None:
    try:
        from kompis.matching.engine.kernels import warm_up
    except ImportError:  # engine without compiled kernels
        return
    warm_up()


if __name__ == "__main__":
    main()
