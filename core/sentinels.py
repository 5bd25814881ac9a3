"""``UNSET``: "this argument was not given", where ``None`` is a real value."""

from __future__ import annotations

from typing import Any, Final


class _Unset:
    """The type of :data:`UNSET`; one instance, falsy, with a readable repr."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> _Unset:
        return self

    def __deepcopy__(self, memo: Any) -> _Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


#: A service's default for "leave this field as it is" (``None`` may mean "clear it").
UNSET: Final[Any] = _Unset()
