"""Create-or-replace for the coded trees (sales orgs, categories) kept with treebeard."""

from django.utils.translation import gettext as _

from common.errors import Conflict, InvalidInput


def tree_node_upsert(
    model, *, code: str, name: str, parent: str | None, name_en: str = ""
):
    """Create or rename the node with ``code``; a new ``parent`` moves its subtree.

    Returns ``(node, created)``. An unknown parent is InvalidInput; moving a node
    below itself is a Conflict. Runs in the caller's transaction.
    """
    parent_node = None
    if parent:
        parent_node = model.objects.filter(code=parent).first()
        if parent_node is None:
            raise InvalidInput(
                _("Unknown parent %(code)s.") % {"code": parent}, code="unknown_parent"
            )
    node = model.objects.filter(code=code).first()
    if node is None:
        fields = {"code": code, "name": name, "name_en": name_en}
        node = (
            parent_node.add_child(**fields) if parent_node else model.add_root(**fields)
        )
        return node, True
    if parent_node is not None and parent_node.path.startswith(node.path):
        raise Conflict(_("A node cannot be moved below itself."), code="cycle")
    node.name, node.name_en = name, name_en or node.name_en
    node.save(update_fields=["name", "name_en"])
    current = node.get_parent()
    if (current.pk if current else None) != (parent_node.pk if parent_node else None):
        if parent_node is None:
            node.move(model.get_first_root_node(), "sorted-sibling")
        else:
            node.move(parent_node, "sorted-child")
        node.refresh_from_db()
    return node, False
