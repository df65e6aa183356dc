"""The only code that writes. Each operation is one transaction, logs every field it
changes (who, when, from where) and returns an OpResult saying what changed."""

from kodomo_desktop.core.operations.editions import (
    create_edition,
    delete_edition,
    publish,
    unpublish,
    update_edition_settings,
)
from kodomo_desktop.core.operations.placements import add_placement, move_placement, remove_placement, set_primary
from kodomo_desktop.core.operations.policy import add_node, delete_node, move_node, update_node
from kodomo_desktop.core.operations.programs import (
    create_program,
    delete_program,
    set_divisions,
    set_target,
    set_targets,
    set_targets_for,
    update_program,
)

__all__ = [
    "add_node",
    "add_placement",
    "create_edition",
    "create_program",
    "delete_edition",
    "delete_node",
    "delete_program",
    "move_node",
    "move_placement",
    "publish",
    "remove_placement",
    "set_divisions",
    "set_primary",
    "set_target",
    "set_targets",
    "set_targets_for",
    "unpublish",
    "update_edition_settings",
    "update_node",
    "update_program",
]
