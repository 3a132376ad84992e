import pytest


@pytest.fixture
def fail_on_call(monkeypatch):
    """``fail_on_call(module, name, n, error)``: ``module.name`` raises ``error`` on its ``n``-th call; the calls
    before and after it go through (a worker killed, a connection lost in the middle of an import)."""

    def install(module, name: str, n: int, error: BaseException) -> None:
        real = getattr(module, name)
        calls = {"n": 0}

        def failing(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == n:
                raise error
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, failing)

    return install
