"""Templates a class keeps and every instance copies, copied one level deep.

django-tables2 deep-copies a table class's columns for each table,
django-filter a filter set's filters for each filter set, and Django a
form's fields for each form: every attribute, lazy label and widget, for
every list page (a tenth of My work's time, for its table, filter set and
filter form). What an instance changes is its own copy of each template (a
column hidden, a filter's choices or parent set), never the inside of a
shared attribute, so one shallow copy of each template is what it needs."""

import copy
from typing import Any


class CopiedPerInstance(dict[str, Any]):
    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {name: self.copy_template(template) for name, template in self.items()}

    @staticmethod
    def copy_template(template: Any) -> Any:
        return copy.copy(template)
