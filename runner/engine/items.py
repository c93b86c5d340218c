"""Item and outcome data checked at the robot's boundary, so a robot's bug is named as one.

The ledger stores `WorkItem.data` and `Outcome.data` as JSON. A value that is not JSON (a `date`, a
`Decimal`, a set) used to surface as "the ledger could not be written", which sent operations to the
database. Here it is caught where the robot hands it over, with the robot and the field in the message
(never the value: it may be personal data).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from runner.api import Outcome, Robot, WorkItem

_SCALARS = (str, int, float, bool, type(None))


class RobotDataError(TypeError):
    """A robot handed over data the ledger cannot store: a bug in the robot, not a failure of the night."""


def _first_non_json(value: Any, path: str) -> tuple[str, str] | None:
    """(path, type name) of the first value that is not JSON, depth first; None when all of it is."""
    if isinstance(value, _SCALARS):
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"{path} (key {type(k).__name__})", type(k).__name__
            found = _first_non_json(v, f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            found = _first_non_json(v, f"{path}[{i}]")
            if found:
                return found
        return None
    return path, type(value).__name__


def json_data(robot: str, what: str, data: Any) -> dict[str, Any]:
    """`data` as a JSON dict: a model is dumped in JSON mode, a dict checked value by value."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if not isinstance(data, dict):
        raise RobotDataError(f"robot {robot}: {what} must be a dict or a pydantic model, not {type(data).__name__}")
    found = _first_non_json(data, what)
    if found:
        field, kind = found
        raise RobotDataError(
            f"robot {robot}: field '{field}' is a {kind}, which the ledger cannot store as JSON; "
            "use str/int/float/bool/None/list/dict, or declare an item model (Robot[S, D]) that converts it"
        )
    return data


def stored_item(robot: type[Robot[Any, Any]], item: Any) -> WorkItem:
    """A fetched item as the ledger stores it (data a JSON dict); checked against the item model if any."""
    if not isinstance(item, WorkItem):
        raise RobotDataError(f"robot {robot.name}: fetch() yielded {type(item).__name__}, not WorkItem")
    data = item.data
    if robot.Item is not None and not isinstance(data, robot.Item):
        try:
            data = robot.Item.model_validate(data)
        except ValidationError as exc:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) or "data" for e in exc.errors())
            raise RobotDataError(
                f"robot {robot.name}: WorkItem.data does not fit {robot.Item.__name__} (field(s) {fields})"
            ) from None
    return item.model_copy(update={"data": json_data(robot.name, "WorkItem.data", data)})


def parsed_item(robot: type[Robot[Any, Any]], key: str, title: str, data: dict[str, Any] | None) -> WorkItem:
    """An item from the ledger as `process` gets it: `data` parsed into the robot's item model if any."""
    value: Any = data or {}
    if robot.Item is not None:
        value = robot.Item.model_validate(value)
    return WorkItem(key=key, title=title, data=value)


def checked_outcome(robot: str, outcome: Outcome) -> Outcome:
    """An outcome whose `data` the ledger can store."""
    json_data(robot, "Outcome.data", outcome.data)
    return outcome
