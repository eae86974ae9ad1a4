"""For tests of races: run calls on threads released together (a barrier), each on its own database
connection, as two people pressing a button at the same moment would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(*calls: Callable[[], Any], expected: tuple[type[BaseException], ...] = ()) -> list[Any]:
    """The calls' answers in order. An exception of an `expected` type is returned as the answer; any other
    fails the caller's test (AssertionError naming it)."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            answers[index] = call()
        except Exception as error:  # noqa: BLE001 (reported to the caller)
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for answer in answers:
        assert not isinstance(answer, Exception) or isinstance(answer, expected), repr(answer)
    return answers
