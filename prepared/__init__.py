"""Statements built once per database connection, then run with new
parameters.

Building a queryset (filter(), select_related(), a UNION) and compiling it
to SQL is Python work that Django repeats on every request, though the SQL
of a page's statement never changes, only its parameters: measured at a
quarter of the case page's time at 1M SRs, more than the database's. A
prepared statement builds its queryset once per database connection with
stand-in parameters, compiles it, and remembers where each stand-in landed
among the SQL parameters. Each later call puts the real values there and
runs the kept SQL through Django's own iterables, so the rows come back as
the same model instances (with their select_related objects), values or
tuples as before.

    @prepared
    def _sr_by_reference_for(reference: str, user_id: int) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.filter(reference=reference).filter(...)[:1]

    sr = next(iter(_sr_by_reference_for(reference, user.pk)), None)

The rule that makes this safe: everything that varies between calls is a
positional parameter (an int, a str or a date, each landing in the SQL as
itself), and whatever changes the shape of the SQL (a role, an option) is a
keyword, part of the cache key, as is the number of positional parameters
(a builder may take *ids). Nothing else may vary: a builder must not read
the clock, the database or a setting. The first build checks that every
stand-in landed whole among the parameters, and refuses otherwise.

Kept on the connection object (one per thread in Django), because a
compiler holds its connection."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from functools import update_wrapper
from typing import Any, Generic, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

Q = TypeVar("Q", bound=QuerySet[Any])
P = ParamSpec("P")

# Stand-ins nobody's data holds: an int beyond any id here, a string with
# control characters.
_INT_BASE = 7_310_000_000_000
_STR_MARK = "\x1fprepared-{}\x1f"


class NotPreparable(TypeError):
    """The builder cannot be prepared (a developer's mistake, found on the
    first call): say which parameter and why."""


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, ...], ...]  # for each positional parameter, where it goes
    as_text: tuple[bool, ...]  # for each, whether the backend is given it as text (a date on SQLite)

    def params_for(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        params = list(self.params)
        for positions, text, value in zip(self.slots, self.as_text, values, strict=True):
            for i in positions:
                params[i] = _as_text(value) if text else value
        return tuple(params)

    def bind(self, values: tuple[Any, ...]) -> QuerySet[Any]:
        bound = (self.sql, self.params_for(values))
        compiler = _shallow(self.compiler)
        compiler.as_sql = lambda *args, **kwargs: bound
        query = _shallow(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = _shallow(self.queryset)
        queryset._result_cache = None
        queryset._prefetch_done = False
        queryset._query = query
        return queryset


def _shallow(obj: Any) -> Any:
    """A copy sharing every attribute. Not copy.copy: a QuerySet pickles
    (evaluates) itself when copied that way."""
    clone = obj.__class__.__new__(obj.__class__)
    clone.__dict__.update(obj.__dict__)
    return clone


def _stand_in(index: int, value: Any) -> Any:
    if isinstance(value, bool) or isinstance(value, datetime) or not isinstance(value, int | str | date):
        raise NotPreparable(f"parameter {index} is a {type(value).__name__}: only ints, strs and dates are "
                            "parameters; pass anything else that shapes the SQL as a keyword")
    if isinstance(value, date):
        return date(1000 + index, 1, 1)
    return _INT_BASE + index if isinstance(value, int) else _STR_MARK.format(index)


def _as_text(value: Any) -> Any:
    """A date as a backend without a date type is given it (SQLite: the
    ISO text, connection.ops.adapt_datefield_value)."""
    return str(value)


class Prepared(Generic[P, Q]):
    def __init__(self, build: Callable[P, Q]) -> None:
        self.build = build
        update_wrapper(self, build)

    def __call__(self, *args: P.args, **shape: P.kwargs) -> Q:
        """The queryset with these parameters, not yet run (iterate it;
        chaining filter(), first() or count() onto it would build anew)."""
        return self._compiled(args, shape).bind(args)  # type: ignore[return-value]

    def sql_with_params(self, *args: P.args, **shape: P.kwargs) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its parameters, to be part of a larger statement."""
        compiled = self._compiled(args, shape)
        return compiled.sql, compiled.params_for(args)

    def _compiled(self, args: tuple[Any, ...], shape: dict[str, Any]) -> "_Compiled":
        connection = connections[DEFAULT_DB_ALIAS]
        kept: dict[Hashable, _Compiled] = connection.__dict__.setdefault("_prepared_statements", {})
        # The object itself, not its id(): an id is reused once its object is gone.
        key = (self, len(args), tuple(sorted(shape.items())))
        compiled = kept.get(key)
        if compiled is None:
            compiled = kept[key] = self._compile(args, shape)
        return compiled

    def _compile(self, args: tuple[Any, ...], shape: dict[str, Any]) -> _Compiled:
        stand_ins = tuple(_stand_in(i, value) for i, value in enumerate(args))
        queryset = self.build(*stand_ins, **shape)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots, as_text = [], []
        for i, stand_in in enumerate(stand_ins):
            positions = tuple(j for j, p in enumerate(params) if p == stand_in and type(p) is type(stand_in))
            text = isinstance(stand_in, date) and not positions
            if text:
                positions = tuple(j for j, p in enumerate(params) if p == _as_text(stand_in))
            if not positions:
                raise NotPreparable(f"{self.build.__name__}: parameter {i} does not reach the SQL as itself")
            slots.append(positions)
            as_text.append(text)
        for p in params:
            if isinstance(p, str) and "\x1fprepared-" in p and p not in stand_ins:
                raise NotPreparable(f"{self.build.__name__}: a parameter is changed on its way to the SQL ({p!r})")
        return _Compiled(queryset=queryset, compiler=compiler, sql=sql, params=tuple(params), slots=tuple(slots),
                         as_text=tuple(as_text))


def prepared(build: Callable[P, Q]) -> Prepared[P, Q]:
    return Prepared(build)
